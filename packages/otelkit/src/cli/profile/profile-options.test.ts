import { describe, expect, it } from 'vitest';
import { parseProfileArgs } from './profile-options.ts';

describe('parseProfileArgs', () => {
  it('takes the command after -- and the documented defaults', () => {
    const options = parseProfileArgs(['--', 'node', 'server.js', '--port', '3000']);
    expect(options).toMatchObject({
      command: ['node', 'server.js', '--port', '3000'],
      durationSeconds: 20,
      durationGiven: false,
      connections: 10,
      timeoutSeconds: 30,
      load: true,
      compare: false,
      ratio: 0.1,
      json: false,
      outDir: '.',
      port: undefined,
    });
  });

  it('reads every option', () => {
    const options = parseProfileArgs([
      '--duration=3',
      '--url',
      'http://127.0.0.1:3000/users/1',
      '--connections',
      '4',
      '--ready',
      'http://127.0.0.1:3000/health',
      '--port',
      '3000',
      '--timeout',
      '5',
      '--no-load',
      '--compare',
      '--ratio',
      '0.25',
      '--json',
      '--out',
      '/tmp/profiles',
      '--',
      'npm',
      'start',
    ]);
    expect(options).toMatchObject({
      command: ['npm', 'start'],
      durationSeconds: 3,
      durationGiven: true,
      url: 'http://127.0.0.1:3000/users/1',
      connections: 4,
      readyUrl: 'http://127.0.0.1:3000/health',
      port: 3000,
      timeoutSeconds: 5,
      load: false,
      compare: true,
      ratio: 0.25,
      json: true,
      outDir: '/tmp/profiles',
    });
  });

  it.each([
    [['--duration', 'soon'], '--duration must be a positive number of seconds, got "soon"'],
    [['--duration', '0'], 'got "0"'],
    [['--connections', '2.5'], '--connections must be a whole number from 1 to 10000, got "2.5"'],
    [['--port', '70000'], '--port must be a whole number from 1 to 65535, got "70000"'],
    [['--ratio', '2'], '--ratio must be a number from 0 to 1, got "2"'],
    [['--url', 'ftp://example'], '--url must be an http:// or https:// URL, got "ftp://example"'],
    [['--ready', 'localhost:3000'], '--ready must be an http:// or https:// URL'],
    [['--timeout=-1'], '--timeout must be a positive number of seconds, got "-1"'],
  ])('refuses %j, naming the value', (flags, message) => {
    expect(() => parseProfileArgs([...flags, '--', 'node', 'app.js'])).toThrow(message);
  });

  it('refuses a missing command and words before --', () => {
    expect(() => parseProfileArgs(['--duration', '3'])).toThrow('no command');
    expect(() => parseProfileArgs(['node', 'app.js'])).toThrow('unexpected "node"');
  });

  it('refuses an option it does not know', () => {
    expect(() => parseProfileArgs(['--durations', '3', '--', 'node'])).toThrow('--durations');
  });
});
