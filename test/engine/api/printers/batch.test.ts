import { describe, expect, it } from 'vitest';
import { table as cronjobs } from '../../../../source/engine/api/printers/cronjobs.ts';
import { table as jobs } from '../../../../source/engine/api/printers/jobs.ts';
import { NOW, ago, obj } from './helpers.ts';

const podTemplate = { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }] } };
const job = (spec: any, status: any = {}, meta: any = {}) =>
  obj(
    'pi',
    {
      spec: {
        template: podTemplate,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } },
        ...spec,
      },
      status,
    },
    meta,
  );
const c = (type: string, status = 'True') => ({ type, status });

describe('jobs', () => {
  it('has the upstream columns', () => {
    expect(jobs.columns.map((col) => `${col.name}:${col.type}:${col.priority}`)).toEqual([
      'Name:string:0',
      'Status:string:0',
      'Completions:string:0',
      'Duration:string:0',
      'Age:string:0',
      'Containers:string:1',
      'Images:string:1',
      'Selector:string:1',
    ]);
  });

  it('renders a complete job', () => {
    const j = job(
      { completions: 1, parallelism: 1 },
      { succeeded: 1, startTime: ago(40), completionTime: ago(5), conditions: [c('Complete')] },
    );
    expect(jobs.row(j, NOW)).toEqual([
      'pi',
      'Complete',
      '1/1',
      '35s',
      '5s',
      'pi',
      'perl:5.34',
      'batch.kubernetes.io/controller-uid=abc',
    ]);
  });

  it.each<[string, any, any, any, string, string, string]>([
    [
      'running, duration so far',
      { completions: 3 },
      { succeeded: 1, startTime: ago(200) },
      {},
      'Running',
      '1/3',
      '3m20s',
    ],
    ['not started', { completions: 1 }, {}, {}, 'Running', '0/1', ''],
    [
      'work queue with parallelism',
      { parallelism: 3 },
      { succeeded: 2, startTime: ago(10) },
      {},
      'Running',
      '2/1 of 3',
      '10s',
    ],
    ['work queue without parallelism', {}, {}, {}, 'Running', '0/1', ''],
    ['failed', { completions: 1 }, { conditions: [c('FailureTarget'), c('Failed')] }, {}, 'Failed', '0/1', ''],
    [
      'terminating',
      { completions: 1 },
      { conditions: [c('Suspended')] },
      { deletionTimestamp: ago(1) },
      'Terminating',
      '0/1',
      '',
    ],
    ['suspended', { completions: 1, suspend: true }, { conditions: [c('Suspended')] }, {}, 'Suspended', '0/1', ''],
    ['failure target', { completions: 1 }, { conditions: [c('FailureTarget')] }, {}, 'FailureTarget', '0/1', ''],
    ['condition not true', { completions: 1 }, { conditions: [c('Complete', 'False')] }, {}, 'Running', '0/1', ''],
  ])('%s', (_name, spec, status, meta, want, completions, duration) => {
    expect(jobs.row(job(spec, status, meta), NOW).slice(1, 4)).toEqual([want, completions, duration]);
  });
});

describe('cronjobs', () => {
  it('has the upstream columns', () => {
    expect(cronjobs.columns.map((col) => `${col.name}:${col.type}:${col.priority}`)).toEqual([
      'Name:string:0',
      'Schedule:string:0',
      'Timezone:string:0',
      'Suspend:boolean:0',
      'Active:integer:0',
      'Last Schedule:string:0',
      'Age:string:0',
      'Containers:string:1',
      'Images:string:1',
      'Selector:string:1',
    ]);
  });

  it('renders a fresh cronjob', () => {
    const cj = obj('hello', {
      spec: { schedule: '*/1 * * * *', suspend: false, jobTemplate: { spec: { template: podTemplate } } },
    });
    expect(cronjobs.row(cj, NOW)).toEqual([
      'hello',
      '*/1 * * * *',
      '<none>',
      'False',
      0,
      '<none>',
      '5s',
      'pi',
      'perl:5.34',
      '<none>',
    ]);
  });

  it('renders timezone, suspend, active jobs and last schedule', () => {
    const cj = obj('hello', {
      spec: {
        schedule: '0 3 * * *',
        timeZone: 'Etc/UTC',
        suspend: true,
        jobTemplate: { spec: { template: podTemplate } },
      },
      status: { active: [{ name: 'a' }, { name: 'b' }], lastScheduleTime: ago(30) },
    });
    expect(cronjobs.row(cj, NOW).slice(1, 6)).toEqual(['0 3 * * *', 'Etc/UTC', 'True', 2, '30s']);
  });

  it('shows <unset> when suspend is absent', () => {
    expect(cronjobs.row(obj('x', { spec: { schedule: '@daily' } }), NOW)[3]).toBe('<unset>');
  });
});
