/**
 * Throws unless exactly `expected` items reached the sink. A benchmark that
 * exports must check this: a queue that drops what it cannot hold makes the
 * dropping path look like the exporting one, and the figures would be of the
 * wrong thing.
 */
export function expectDelivered(what: string, expected: number, received: number): void {
  if (received === expected) return;
  const how = received < expected ? `${expected - received} never arrived` : 'more than were sent';
  throw new Error(`${what}: ${received} of ${expected} reached the sink (${how})`);
}
