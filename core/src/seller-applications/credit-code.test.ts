import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, creditCodeProblem, mainlandMobile, residentIdProblem } from './credit-code';

describe('unified social credit code (GB 32100-2015)', () => {
  // Published codes of well-known companies (business licences are public records).
  it.each([
    '91440300708461136T', // Tencent (Shenzhen)
    '91330100716105852F', // Alibaba (China) Co., Ltd.
    '91350100M000100Y43', // a widely cited sample code
  ])('accepts %s', (code) => {
    expect(creditCodeProblem(code)).toBeNull();
  });

  it('computes the check character from the first 17', () => {
    expect(creditCodeCheckChar('91440300708461136')).toBe('T');
  });

  it.each([
    ['91440300708461136X', /check character/],
    ['9144030070846113', /18 characters/],
    ['91440300708461136I', /not used/],
    ['Z1440300708461136T', /not used/],
    ['X1440300708461136T', /registration authority/],
    ['9144A300708461136T', /area code/],
  ])('refuses %s', (code, problem) => {
    expect(creditCodeProblem(code)).toMatch(problem);
  });
});

describe('resident identity number (GB 11643-1999)', () => {
  it('accepts a number whose check digit matches', () => {
    expect(residentIdProblem('11010519491231002X')).toBeNull();
    expect(residentIdProblem('440524188001010014')).toBeNull();
  });
  it.each([
    ['110105194912310021', /check digit/],
    ['110105194913310028', /date of birth/],
    ['11010519491231002', /17 digits/],
  ])('refuses %s', (id, problem) => {
    expect(residentIdProblem(id)).toMatch(problem);
  });
});

describe('mainland mobile numbers', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['+86 138-1234-5678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['12812345678', null],
    ['1381234567', null],
    ['021-12345678', null],
  ])('%s → %s', (input, digits) => {
    expect(mainlandMobile(input)).toBe(digits);
  });
});
