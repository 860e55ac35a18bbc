import type { FastifyInstance } from 'fastify';

interface User {
  id: number;
  name: string;
  email: string;
  score: number;
}

const users: User[] = Array.from({ length: 200 }, (_, i) => ({
  id: i + 1,
  name: `User ${i + 1}`,
  email: `user-${i + 1}@example.com`,
  score: 0,
}));

/** The routes of the fixture service: a page of users, each with a score worked out per request. */
export function addRoutes(app: FastifyInstance): void {
  app.get('/', async () => usersPage());
}

/** What `/` answers. */
export function usersPage(): { users: User[]; total: number } {
  const page = users.slice(0, 20).map((user) => ({ ...user, score: scoreOf(user) }));
  return { users: page, total: users.length };
}

// Some work of the service's own, so that its share of the profile is not nothing.
function scoreOf(user: User): number {
  let score = 0;
  for (let i = 0; i < 400; i++)
    score = (score * 31 + user.email.charCodeAt(i % user.email.length)) % 1_000_003;
  return score;
}
