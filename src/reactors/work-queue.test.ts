import { describe, expect, it } from 'vitest';
import { WorkQueue } from './work-queue.ts';

describe('the reactors work queue', () => {
  it('runs_the_most_urgent_first_and_each_group_in_order', async () => {
    const q = new WorkQueue();
    const ran: string[] = [];
    const task = (name: string) => async () => {
      ran.push(name);
    };
    q.push('I1', 3, task('I1 start (p3)'));
    q.push('I2', 2, task('I2 start (p2)'));
    q.push('I1', 0, task('I1 stand down'));
    q.push('I3', 1, task('I3 start (p1)'));
    q.push('I4', 0, task('I4 stand down'));
    q.push('I3', 0, task('I3 stand down'));
    await q.idle();
    // I4's stand-down first; I1's stand-down waits behind I1's start, which is p3: last of all.
    expect(ran).toEqual(['I4 stand down', 'I3 start (p1)', 'I3 stand down', 'I2 start (p2)', 'I1 start (p3)', 'I1 stand down']);
    expect(q.size).toBe(0);
  });

  it('never_runs_a_task_inside_the_call_that_queued_it_and_goes_on_after_a_failure', async () => {
    const errors: unknown[] = [];
    const q = new WorkQueue((e) => errors.push(e));
    let ran = 0;
    q.push('A', 1, async () => {
      throw new Error('boom');
    });
    q.push('A', 1, async () => {
      ran++;
    });
    expect(ran).toBe(0);
    await q.idle();
    expect(ran).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('a_more_urgent_task_starts_beside_the_running_one_but_two_equals_never_run_together', async () => {
    const q = new WorkQueue();
    const log: string[] = [];
    let release: () => void = () => {};
    const slow = new Promise<void>((r) => (release = r));
    q.push('fire', 2, async () => {
      log.push('fire start');
      await slow;
      log.push('fire end');
    });
    q.push('fall', 2, async () => void log.push('fall'));
    await new Promise((r) => setImmediate(r));
    q.push('arrest', 1, async () => void log.push('arrest'));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    // The arrest ran while the fire was still running; the fall (same rank as the fire) waited.
    expect(log).toEqual(['fire start', 'arrest']);
    release();
    await q.idle();
    expect(log).toEqual(['fire start', 'arrest', 'fire end', 'fall']);
  });

  it('after_close_nothing_queued_runs', async () => {
    const q = new WorkQueue();
    let ran = 0;
    for (let i = 0; i < 5; i++) q.push(`G${i}`, 1, async () => void ran++);
    await q.close();
    q.push('late', 0, async () => void ran++);
    await q.idle();
    expect(ran).toBe(0);
  });
});
