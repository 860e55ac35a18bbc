import { describe, expect, it } from 'vitest';
import { redisQueryText } from './redis-command.ts';

describe('redisQueryText', () => {
  it.each([
    ['GET', ['user:1'], 'GET user:1'],
    ['SET', ['user:1', 'secret', 'EX', '60'], 'SET user:1 ? ? ?'],
    ['GETSET', ['k', 'secret'], 'GETSET k ?'],
    ['HSET', ['h', 'field', 'secret'], 'HSET h ? ?'],
    ['MGET', ['a', 'b', 'c'], 'MGET a b c'],
    ['MSET', ['a', 'secret', 'b', 'secret'], 'MSET a ? b ?'],
    ['BLPOP', ['q1', 'q2', '5'], 'BLPOP q1 q2 ?'],
    ['SMOVE', ['from', 'to', 'member'], 'SMOVE from to ?'],
    ['EVALSHA', ['sha', '2', 'k1', 'k2', 'secret'], 'EVALSHA ? 2 k1 k2 ?'],
    ['AUTH', ['user', 'password'], 'AUTH ? ?'],
    ['CONFIG', ['SET', 'requirepass', 'secret'], 'CONFIG ? ? ?'],
    ['PING', [], 'PING'],
  ])('%s %j is written %j', (command, args, text) => {
    expect(redisQueryText(command, args)).toBe(text);
  });

  it('skips the command name when the driver puts it first', () => {
    expect(redisQueryText('GET', ['GET', 'user:1'], 1)).toBe('GET user:1');
  });

  it('cuts a very long command', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `key:${i}`);
    expect(redisQueryText('DEL', keys)).toHaveLength(2048);
  });
});
