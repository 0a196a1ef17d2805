import { typedNumber } from '../server/responseForm';

describe('numbers a liaison types in the response form (server/responseForm.ts)', () => {
  test.each([
    ['19.000', 19000],
    ['19000', 19000],
    ['3,5', 3.5],
    ['1.234,56', 1234.56],
    [' 1.000.000 ', 1000000],
    ['0', 0],
    ['3.5', 3.5],
  ])('reads %s as %d', (text, value) => {
    expect(typedNumber(text)).toBe(value);
  });

  test.each(['1.234.5', '19.00.0', '3,5,1', 'diez', '', '  ', undefined])('refuses %s (NaN, which the answer validation names by field)', (text) => {
    expect(typedNumber(text)).toBeNaN();
  });
});
