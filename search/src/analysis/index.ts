/** Text analysis shared by the embedded engine and anything else that needs to read queries the same way. */
export { foldText, foldPhrase, isHan, splitRuns, type TextRun } from './normalize';
export { stemEnglish, isStopword } from './english';
export { segmentChinese, hanBigrams, hanIndexTerms, hanQueryTerms } from './chinese';
export { tokenizeForIndex, analyzeWord } from './tokenize';
export { SYNONYM_GROUPS } from './synonyms';
export { parseQuery, type ParsedQuery, type QueryClause } from './query';
export { allowedEdits, adjacentTranspositions, editDistance } from './typos';
export { escapeHtml, highlightText, highlightTermsOf, type HighlightTerms } from './highlight';
