/**
 * Masks a secret for display: the reader learns that it is there and how
 * long it is, nothing of its content.
 */
export function maskSecret(secret: string): string {
  return `<hidden: ${secret.length} characters>`;
}
