import type { JudgeInput, PhotoThresholds, PhotoVerdict, VerdictReason } from '@market/core';
import { isLegible, legibleTextCoverage } from './text-coverage';

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

/**
 * Turns measurements into a verdict: every rule that fires adds a reason with the measured value and
 * the threshold it crossed; the verdict is the gravest severity among them (`info` changes nothing).
 * Pure, so `npm run recheck-photos` and tests get the same answer for the same numbers.
 */
export function judgePhoto(
  input: JudgeInput,
  t: PhotoThresholds,
): { verdict: PhotoVerdict; reasons: VerdictReason[] } {
  const reasons: VerdictReason[] = [];
  const { metrics: m, findings } = input;
  const add = (reason: VerdictReason) => reasons.push(reason);

  const minSide = Math.min(m.width, m.height);
  if (minSide < t.minSide)
    add({
      code: 'resolution',
      severity: 'reject',
      value: minSide,
      threshold: t.minSide,
      message: `The shorter side is ${minSide} px; at least ${t.minSide} px is needed`,
    });
  if (m.sharpness < t.minSharpness)
    add({
      code: 'blur',
      severity: 'reject',
      value: m.sharpness,
      threshold: t.minSharpness,
      message: `The photo is blurred: sharpness ${m.sharpness} is below ${t.minSharpness}`,
    });
  if (m.meanLuminance < t.minLuminance)
    add({
      code: 'underexposed',
      severity: 'review',
      value: m.meanLuminance,
      threshold: t.minLuminance,
      message: `The photo is too dark: mean brightness ${m.meanLuminance} is below ${t.minLuminance}`,
    });
  if (m.meanLuminance > t.maxLuminance)
    add({
      code: 'overexposed',
      severity: 'review',
      value: m.meanLuminance,
      threshold: t.maxLuminance,
      message: `The photo is washed out: mean brightness ${m.meanLuminance} is above ${t.maxLuminance}`,
    });
  if (m.highlightClip > t.maxHighlightClip)
    add({
      code: 'highlights_clipped',
      severity: 'review',
      value: m.highlightClip,
      threshold: t.maxHighlightClip,
      message: `${pct(m.highlightClip)} of the product is blown out to white (at most ${pct(t.maxHighlightClip)})`,
    });
  if (m.shadowClip > t.maxShadowClip)
    add({
      code: 'shadows_clipped',
      severity: 'review',
      value: m.shadowClip,
      threshold: t.maxShadowClip,
      message: `${pct(m.shadowClip)} of the photo is crushed to black (at most ${pct(t.maxShadowClip)})`,
    });
  if (m.aspectRatio > t.maxAspectRatio)
    add({
      code: 'aspect_ratio',
      severity: 'review',
      value: m.aspectRatio,
      threshold: t.maxAspectRatio,
      message: `The photo is ${m.aspectRatio}:1; at most ${t.maxAspectRatio}:1 is expected`,
    });
  if (input.main) {
    if (m.backgroundShare < t.minBackgroundShare)
      add({
        code: 'background',
        severity: 'review',
        value: m.backgroundShare,
        threshold: t.minBackgroundShare,
        message: `The main image should show the product on a clean light background: ${pct(m.backgroundShare)} of it is (at least ${pct(t.minBackgroundShare)})`,
      });
    if (m.productFill < t.minProductFill)
      add({
        code: 'product_fill',
        severity: 'review',
        value: m.productFill,
        threshold: t.minProductFill,
        message: `The product fills ${pct(m.productFill)} of the frame; at least ${pct(t.minProductFill)} is expected`,
      });
  }

  if (!findings) {
    add({
      code: 'models_unavailable',
      severity: 'review',
      value: 0,
      threshold: null,
      message: `Text, safety and category checks could not run: ${input.modelsError ?? 'models unavailable'}`,
    });
  } else {
    const { contacts } = findings.text;
    const coverage = Number(
      legibleTextCoverage(findings.text.boxes, input.analysisWidth, input.analysisHeight).toFixed(4),
    );
    if (coverage > t.textRejectShare || coverage > t.textReviewShare) {
      const reject = coverage > t.textRejectShare;
      add({
        code: 'text_coverage',
        severity: reject ? 'reject' : 'review',
        value: coverage,
        threshold: reject ? t.textRejectShare : t.textReviewShare,
        message: `Text covers ${pct(coverage)} of the photo (banners and watermarks are not allowed; limit ${pct(reject ? t.textRejectShare : t.textReviewShare)})`,
        detail: findings.text.boxes
          .filter(isLegible)
          .map((b) => b.text)
          .filter(Boolean)
          .join(' ')
          .slice(0, 200),
      });
    }
    for (const contact of contacts)
      add({
        code: 'contact',
        severity: 'reject',
        value: 1,
        threshold: null,
        message: `Contact details are not allowed on photos: ${contact.kind} "${contact.text}"`,
        detail: `${contact.kind}: ${contact.text}`,
      });
    const nsfw = findings.nsfwScore;
    if (nsfw >= t.nsfwRejectScore || nsfw >= t.nsfwReviewScore) {
      const reject = nsfw >= t.nsfwRejectScore;
      add({
        code: 'nsfw',
        severity: reject ? 'reject' : 'review',
        value: nsfw,
        threshold: reject ? t.nsfwRejectScore : t.nsfwReviewScore,
        message: `The photo may be unsafe: score ${nsfw.toFixed(3)} (limit ${reject ? t.nsfwRejectScore : t.nsfwReviewScore})`,
      });
    }
    if (findings.category.matches === false) {
      const best = findings.category.topLabels[0];
      add({
        code: 'category_mismatch',
        severity: 'review',
        value: findings.category.score,
        threshold: null,
        message: `The photo does not look like this category${best ? ` (it looks like: ${best.label})` : ''}`,
        ...(best && { detail: best.label }),
      });
    }
  }

  for (const dup of input.duplicates)
    add({
      code: 'duplicate',
      // Sellers reuse their own photos across variants of a listing; another shop's photo may be stolen.
      severity: dup.sameSeller ? 'info' : 'review',
      value: dup.distance,
      threshold: t.duplicateDistance,
      message: dup.sameProduct
        ? `Looks the same as another photo of this product, ${dup.distance} bits apart`
        : dup.sameSeller
          ? `Looks the same as one of your photos (product ${dup.productId}), ${dup.distance} bits apart`
          : `Looks the same as a photo of another shop's product ${dup.productId}, ${dup.distance} bits apart`,
      photoId: dup.photoId,
      productId: dup.productId,
    });

  const verdict: PhotoVerdict = reasons.some((r) => r.severity === 'reject')
    ? 'reject'
    : reasons.some((r) => r.severity === 'review')
      ? 'needs_review'
      : 'pass';
  return { verdict, reasons };
}
