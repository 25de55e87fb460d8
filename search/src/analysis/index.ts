/** Text analysis shared by the embedded engine and anything else that needs to read queries the same way. */
export { foldText, foldPhrase, isHan, splitRuns, type TextRun } from './normalize';
export { stemEnglish, isStopword } from './english';
export { segmentChinese, hanBigrams, hanIndexTerms, hanQueryTerms } from './chinese';
export { tokenizeForIndex, analyzeWord, surfaceWords, splitTitle } from './tokenize';
export { SYNONYM_GROUPS } from './synonyms';
export {
  LEXICON,
  LEXICON_TYPES,
  LEXICON_VERSION,
  DISCRIMINATING_TYPES,
  conceptTerm,
  type LexiconEntry,
  type LexiconType,
} from './lexicon';
export { parseQuery, isLexiconWord, lexiconEntriesIn, type ParsedQuery, type QueryClause } from './query';
export { conceptsOf, phrasesOfConcepts } from './concepts';
export { allowedEdits, adjacentTranspositions, editDistance } from './typos';
export {
  escapeHtml,
  highlightFragment,
  highlightText,
  highlightTermsOf,
  type HighlightTerms,
} from './highlight';
