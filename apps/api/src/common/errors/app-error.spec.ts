import { ERROR_CODES, INTEGRATION_ERROR_TYPES } from '@conecta/contracts';
import { CREDENTIAL_ERROR_TYPES } from '@conecta/graph-client';
import { AppError, HTTP_STATUS_BY_CODE } from './app-error';

describe('HTTP_STATUS_BY_CODE (the one table of statuses)', () => {
  it('has a status for every code the API speaks, none of them a fallback', () => {
    for (const code of [...ERROR_CODES, ...INTEGRATION_ERROR_TYPES]) {
      expect(HTTP_STATUS_BY_CODE[code]).toBeGreaterThanOrEqual(400);
      expect(new AppError(code, 'x').status).toBe(HTTP_STATUS_BY_CODE[code]);
    }
  });

  it("answers 422 for Meta's verdicts on the user's own credentials or number", () => {
    for (const type of CREDENTIAL_ERROR_TYPES) expect(HTTP_STATUS_BY_CODE[type]).toBe(422);
  });

  it('answers 503 when Meta rate-limits us and 502 when Meta otherwise fails', () => {
    expect(HTTP_STATUS_BY_CODE.RATE_LIMIT_EXCEEDED).toBe(503);
    expect(HTTP_STATUS_BY_CODE.CONNECTION_FAILED).toBe(502);
    expect(HTTP_STATUS_BY_CODE.UNKNOWN).toBe(502);
  });
});
