const FIRST = [
  'Ada',
  'Grace',
  'Linus',
  'Barbara',
  'Ken',
  'Margaret',
  'Dennis',
  'Frances',
  'Edsger',
  'Radia',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Liskov',
  'Thompson',
  'Hamilton',
  'Ritchie',
  'Allen',
  'Dijkstra',
  'Perlman',
];

/** Deterministic seed users: the same few hundred on every start. */
export function* seedUsers(
  count: number,
): Generator<{ name: string; email: string; createdAt: string }> {
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < count; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    yield {
      name: `${first} ${last}`,
      email: `${first}.${last}.${i}@example.com`.toLowerCase(),
      createdAt: new Date(start + i * 3_600_000).toISOString(),
    };
  }
}
