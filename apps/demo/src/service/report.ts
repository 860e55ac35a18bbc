import { DatabaseError } from './errors.ts';
import type { User } from './users-repository.ts';

/**
 * Renders a user's activity report. For every seventh user it fails the way
 * real bugs do: a query error, wrapped by the template that needed it,
 * wrapped by the report: a three-level cause chain.
 */
export function renderReport(user: User): { userId: number; summary: string } {
  if (user.id % 7 === 0) {
    const query = new DatabaseError('no such column: last_login', 'SELECT', 'users');
    const template = new Error('template "activity-summary" could not be rendered', {
      cause: query,
    });
    throw new Error(`report for user ${user.id} failed`, { cause: template });
  }
  return { userId: user.id, summary: `${user.name} joined on ${user.createdAt.slice(0, 10)}` };
}
