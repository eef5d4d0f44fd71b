/** A variable scripts/e2e.sh sets; missing means the tier was run alone. */
export function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: run this tier with npm run test:e2e`);
  }
  return value;
}

/** The emulator's endpoint, refused unless it is on this machine. */
export function loopbackEndpoint(): string {
  const endpoint = required('AWS_ENDPOINT_URL');
  const host = new URL(endpoint).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    throw new Error(`AWS_ENDPOINT_URL must be a loopback address: ${endpoint}`);
  }
  return endpoint;
}
