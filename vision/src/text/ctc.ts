/**
 * Greedy CTC decoding of a recogniser's per-timestep class probabilities: take the best class at each
 * step, merge runs of the same class, drop the blank. PaddleOCR's recognisers put the blank at index 0,
 * then the dictionary's characters, then a space (`use_space_char`), which is what `charset` describes.
 */
export interface CtcCharset {
  /** Characters for class 1..n (class 0 is the blank). */
  characters: readonly string[];
}

export interface CtcDecoded {
  text: string;
  /** Mean probability of the emitted characters; 0 when nothing was emitted. */
  confidence: number;
}

/** Builds the class list for PaddleOCR's rec models from the dictionary file's text (one character a line). */
export function paddleCharset(dictionary: string): CtcCharset {
  const lines = dictionary.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return { characters: [...lines, ' '] };
}

/**
 * probs: row-major [timesteps × classes] for one text line (a view into the batch output).
 */
export function ctcGreedyDecode(
  probs: Float32Array,
  timesteps: number,
  classes: number,
  charset: CtcCharset,
): CtcDecoded {
  if (classes !== charset.characters.length + 1) {
    throw new Error(`recogniser has ${classes} classes but the charset ${charset.characters.length + 1}`);
  }
  let text = '';
  let sum = 0;
  let emitted = 0;
  let previous = -1;
  for (let t = 0; t < timesteps; t++) {
    const row = t * classes;
    let best = 0;
    let bestP = probs[row] ?? 0;
    for (let c = 1; c < classes; c++) {
      const p = probs[row + c] ?? 0;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      text += charset.characters[best - 1] ?? '';
      sum += bestP;
      emitted++;
    }
    previous = best;
  }
  return { text: text.trim(), confidence: emitted ? sum / emitted : 0 };
}
