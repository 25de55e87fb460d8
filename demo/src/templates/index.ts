import type { LeafTemplate } from '../types';
import { BEAUTY_TEMPLATES } from './beauty';
import { COMPUTER_TEMPLATES } from './computers';
import { DIGITAL_TEMPLATES } from './digital';
import { FAMILY_TEMPLATES } from './family';
import { FASHION_TEMPLATES } from './fashion';
import { FOOD_TEMPLATES } from './food';
import { HOME_TEMPLATES } from './home';
import { SPORTS_TEMPLATES } from './sports';

/** Listing templates by leaf category slug; every leaf of the demo tree has one (a test holds us to it). */
export const LEAF_TEMPLATES: Readonly<Record<string, LeafTemplate>> = {
  ...DIGITAL_TEMPLATES,
  ...COMPUTER_TEMPLATES,
  ...HOME_TEMPLATES,
  ...FASHION_TEMPLATES,
  ...BEAUTY_TEMPLATES,
  ...FOOD_TEMPLATES,
  ...SPORTS_TEMPLATES,
  ...FAMILY_TEMPLATES,
};
