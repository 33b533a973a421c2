const REDACTED = '[REDACTED]';

const SECRET_QUERY_PARAMS =
  /\b(access_token|input_token|client_secret|appsecret_proof|fb_exchange_token)=([^&\s"'#]+)/gi;
const BEARER = /\b(Bearer|OAuth)\s+[A-Za-z0-9._~+/|%=-]{8,}/g;

/**
 * Removes secrets from a string: the given literal values, `access_token=`-style query parameters
 * and `Bearer` credentials.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) {
      out = out.split(secret).join(REDACTED);
    }
  }
  return out.replace(SECRET_QUERY_PARAMS, `$1=${REDACTED}`).replace(BEARER, `$1 ${REDACTED}`);
}
