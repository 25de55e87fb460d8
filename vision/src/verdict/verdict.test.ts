import type { JudgeInput, PhotoFindings, PhotoThresholds } from '@market/core';
import { describe, expect, it } from 'vitest';
import { legibleTextCoverage } from './text-coverage';
import { judgePhoto } from './verdict';

const T: PhotoThresholds = {
  minSide: 500,
  minSharpness: 40,
  minLuminance: 50,
  maxLuminance: 248,
  maxHighlightClip: 0.35,
  maxShadowClip: 0.3,
  maxAspectRatio: 2,
  minBackgroundShare: 0.2,
  minProductFill: 0.5,
  textReviewShare: 0.03,
  textRejectShare: 0.12,
  nsfwReviewScore: 0.4,
  nsfwRejectScore: 0.8,
  duplicateDistance: 6,
};

const findings = (over: Partial<PhotoFindings> = {}): PhotoFindings => ({
  text: { boxes: [], coverage: 0, contacts: [] },
  nsfwScore: 0.01,
  category: { matches: null, score: 0, topLabels: [] },
  ...over,
});

const input = (over: Partial<JudgeInput> = {}): JudgeInput => ({
  metrics: {
    width: 1000,
    height: 1000,
    sharpness: 300,
    meanLuminance: 210,
    highlightClip: 0.05,
    shadowClip: 0,
    aspectRatio: 1,
    backgroundShare: 0.6,
    productFill: 0.7,
  },
  findings: findings(),
  modelsError: null,
  duplicates: [],
  analysisWidth: 1000,
  analysisHeight: 1000,
  main: true,
  ...over,
});

const codes = (r: ReturnType<typeof judgePhoto>) => r.reasons.map((x) => `${x.code}:${x.severity}`);

describe('verdicts', () => {
  it('passes when nothing fires', () => {
    expect(judgePhoto(input(), T)).toEqual({ verdict: 'pass', reasons: [] });
  });

  it('gives every reason with its value and threshold; the gravest decides', () => {
    const r = judgePhoto(
      input({ metrics: { ...input().metrics, width: 300, height: 900, sharpness: 12, aspectRatio: 3 } }),
      T,
    );
    expect(r.verdict).toBe('reject');
    expect(r.reasons).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'resolution', severity: 'reject', value: 300, threshold: 500 }),
        expect.objectContaining({ code: 'blur', severity: 'reject', value: 12, threshold: 40 }),
        expect.objectContaining({ code: 'aspect_ratio', severity: 'review', value: 3, threshold: 2 }),
      ]),
    );
  });

  it('holds only the main image to the background and fill rules', () => {
    const busy = { ...input().metrics, backgroundShare: 0.05, productFill: 0.3 };
    expect(codes(judgePhoto(input({ metrics: busy }), T))).toEqual([
      'background:review',
      'product_fill:review',
    ]);
    expect(judgePhoto(input({ metrics: busy, main: false }), T).verdict).toBe('pass');
  });

  it('counts legible text only, reviews some and rejects a lot; contacts always reject', () => {
    const box = (text: string, confidence: number, height: number) => ({
      x: 0,
      y: 0,
      width: 1000,
      height,
      text,
      confidence,
    });
    // A large round shape read as one letter is not text.
    expect(
      codes(
        judgePhoto(
          input({
            findings: findings({ text: { boxes: [box('O', 0.6, 300)], coverage: 0.3, contacts: [] } }),
          }),
          T,
        ),
      ),
    ).toEqual([]);
    expect(
      codes(
        judgePhoto(
          input({
            findings: findings({
              text: { boxes: [box('SALE 50%', 0.95, 60)], coverage: 0.06, contacts: [] },
            }),
          }),
          T,
        ),
      ),
    ).toEqual(['text_coverage:review']);
    expect(
      codes(
        judgePhoto(
          input({
            findings: findings({
              text: { boxes: [box('SALE 50%', 0.95, 200)], coverage: 0.2, contacts: [] },
            }),
          }),
          T,
        ),
      ),
    ).toEqual(['text_coverage:reject']);
    const contact = judgePhoto(
      input({
        findings: findings({
          text: { boxes: [], coverage: 0, contacts: [{ kind: 'wechat', text: 'wx: shop88' }] },
        }),
      }),
      T,
    );
    expect(contact.verdict).toBe('reject');
    expect(contact.reasons[0]).toMatchObject({ code: 'contact', detail: 'wechat: wx: shop88' });
  });

  it('reviews or rejects unsafe images, reviews a category mismatch and missing models', () => {
    expect(codes(judgePhoto(input({ findings: findings({ nsfwScore: 0.5 }) }), T))).toEqual(['nsfw:review']);
    expect(codes(judgePhoto(input({ findings: findings({ nsfwScore: 0.9 }) }), T))).toEqual(['nsfw:reject']);
    const mismatch = judgePhoto(
      input({
        findings: findings({
          category: { matches: false, score: 0.01, topLabels: [{ label: 'coffee mug', score: 0.5 }] },
        }),
      }),
      T,
    );
    expect(mismatch.reasons[0]).toMatchObject({
      code: 'category_mismatch',
      severity: 'review',
      detail: 'coffee mug',
    });
    expect(codes(judgePhoto(input({ findings: null, modelsError: 'missing' }), T))).toEqual([
      'models_unavailable:review',
    ]);
  });

  it("reports duplicates: another shop's for review, the seller's own for information", () => {
    const dup = { photoId: 'pho_a', productId: 'prd_a', sellerId: 'usr_a', distance: 2 };
    expect(
      judgePhoto(input({ duplicates: [{ ...dup, sameSeller: true, sameProduct: false }] }), T).verdict,
    ).toBe('pass');
    const other = judgePhoto(input({ duplicates: [{ ...dup, sameSeller: false, sameProduct: false }] }), T);
    expect(other.verdict).toBe('needs_review');
    expect(other.reasons[0]).toMatchObject({ code: 'duplicate', productId: 'prd_a', value: 2, threshold: 6 });
  });

  it('measures text coverage as the union of boxes', () => {
    const b = { text: 'ABCD', confidence: 0.9 };
    expect(legibleTextCoverage([{ x: 0, y: 0, width: 500, height: 500, ...b }], 1000, 1000)).toBeCloseTo(
      0.25,
      2,
    );
    expect(
      legibleTextCoverage(
        [
          { x: 0, y: 0, width: 500, height: 500, ...b },
          { x: 0, y: 0, width: 500, height: 500, ...b },
        ],
        1000,
        1000,
      ),
    ).toBeCloseTo(0.25, 2);
  });
});
