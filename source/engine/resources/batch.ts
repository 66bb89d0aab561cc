import type { KObject, StatusCause } from '../../api-types/index.ts';
import { matchesLabelSelector } from '../store/selectors.ts';
import { defaultPodSpec, validatePodSpec } from './pod-spec.ts';
import type { ResourceDef } from './types.ts';
import { cause, isObject } from './validation.ts';
import { parseSchedule, validTimeZone } from './cron-schedule.ts';

export const CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME = 'batch.kubernetes.io/job-name';
const LEGACY_CONTROLLER_UID = 'controller-uid';
const LEGACY_JOB_NAME = 'job-name';
const INT32_MAX = 2147483647;

type JobSpec = Record<string, unknown> & { template?: { metadata?: Record<string, unknown>; spec?: unknown } };

/** batch/v1 SetDefaults_Job: parallelism/completions, backoffLimit, completionMode, suspend. */
export function defaultJobSpec(s: Record<string, unknown>): void {
  if (s.completions == null && s.parallelism == null) {
    s.completions = 1;
    s.parallelism = 1;
  }
  s.parallelism ??= 1;
  s.backoffLimit ??= s.backoffLimitPerIndex != null ? INT32_MAX : 6;
  s.completionMode ??= 'NonIndexed';
  s.suspend ??= false;
  s.manualSelector ??= undefined;
  if (s.manualSelector === undefined) delete s.manualSelector;
  s.podReplacementPolicy ??= s.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  defaultPodTemplate(s);
}

function defaultPodTemplate(s: Record<string, unknown>): void {
  if (!isObject(s.template)) return;
  s.template.metadata ??= {};
  s.template.metadata.creationTimestamp ??= null;
  defaultPodSpec(s.template.spec);
}

/** Upstream's generateSelector: the controller-uid/job-name labels and a selector on the uid. */
function generateSelector(job: KObject): void {
  const s = job.spec;
  if (!isObject(s) || s.manualSelector === true || !isObject(s.template)) return;
  const uid = job.metadata.uid!;
  const name = job.metadata.name ?? '';
  const meta = (s.template.metadata ??= {});
  const labels: Record<string, string> = (meta.labels ??= {});
  labels[LEGACY_CONTROLLER_UID] ??= uid;
  labels[LEGACY_JOB_NAME] ??= name;
  labels[CONTROLLER_UID] ??= uid;
  labels[JOB_NAME] ??= name;
  s.selector ??= {};
  if (isObject(s.selector)) {
    s.selector.matchLabels ??= {};
    s.selector.matchLabels[CONTROLLER_UID] ??= uid;
  }
}

function nonNegative(v: unknown, field: string, out: StatusCause[]): void {
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    out.push(cause.invalid(field, v, 'must be greater than or equal to 0'));
  else if (v > INT32_MAX) out.push(cause.invalid(field, v, `must be less than or equal to ${INT32_MAX}`));
}

const EXIT_OPERATORS = ['In', 'NotIn'];
const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];

function validatePodFailurePolicy(p: unknown, restartPolicy: unknown, out: StatusCause[]): void {
  if (p === undefined || p === null) return;
  const field = 'spec.podFailurePolicy';
  if (!isObject(p) || !Array.isArray(p.rules)) {
    out.push(cause.required(`${field}.rules`));
    return;
  }
  if (restartPolicy !== 'Never')
    out.push(
      cause.invalid(
        'spec.template.spec.restartPolicy',
        restartPolicy,
        'only "Never" is supported when podFailurePolicy is specified',
      ),
    );
  p.rules.forEach((r: unknown, i: number) => {
    const f = `${field}.rules[${i}]`;
    if (!isObject(r)) return out.push(cause.required(f));
    if (!ACTIONS.includes(r.action)) out.push(cause.notSupported(`${f}.action`, r.action, ACTIONS));
    const byCodes = isObject(r.onExitCodes);
    const byConds = Array.isArray(r.onPodConditions) && r.onPodConditions.length > 0;
    if (byCodes === byConds)
      out.push(cause.invalid(f, r, 'specifying one of onExitCodes and onPodConditions is required'));
    if (byCodes) {
      const c = r.onExitCodes;
      if (!EXIT_OPERATORS.includes(c.operator))
        out.push(cause.notSupported(`${f}.onExitCodes.operator`, c.operator, EXIT_OPERATORS));
      if (!Array.isArray(c.values) || c.values.length === 0)
        out.push(cause.required(`${f}.onExitCodes.values`, 'at least one value is required'));
      else if (c.operator === 'In' && c.values.includes(0))
        out.push(cause.invalid(`${f}.onExitCodes.values`, 0, 'must not be 0 for the In operator'));
    }
  });
}

/** ValidateJobSpec plus the update rules (immutable selector, template, completionMode, completions). */
export function validateJobSpec(s: unknown, prefix: string, out: StatusCause[], generated = true): void {
  if (!isObject(s)) {
    out.push(cause.required(prefix));
    return;
  }
  nonNegative(s.parallelism, `${prefix}.parallelism`, out);
  nonNegative(s.completions, `${prefix}.completions`, out);
  nonNegative(s.backoffLimit, `${prefix}.backoffLimit`, out);
  nonNegative(s.ttlSecondsAfterFinished, `${prefix}.ttlSecondsAfterFinished`, out);
  if (s.activeDeadlineSeconds != null && !(Number.isInteger(s.activeDeadlineSeconds) && s.activeDeadlineSeconds > 0)) {
    out.push(cause.invalid(`${prefix}.activeDeadlineSeconds`, s.activeDeadlineSeconds, 'must be greater than 0'));
  }
  if (s.completionMode != null && !['NonIndexed', 'Indexed'].includes(s.completionMode))
    out.push(cause.notSupported(`${prefix}.completionMode`, s.completionMode, ['NonIndexed', 'Indexed']));
  if (s.completionMode === 'Indexed' && s.completions == null)
    out.push(cause.required(`${prefix}.completions`, 'when completion mode is Indexed'));
  if (!isObject(s.template)) {
    out.push(cause.required(`${prefix}.template`));
    return;
  }
  if (generated) {
    const sel = s.selector;
    const empty =
      !isObject(sel) || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length);
    if (empty) out.push(cause.required(`${prefix}.selector`));
    else {
      try {
        if (!matchesLabelSelector(sel, s.template.metadata?.labels)) {
          out.push(
            cause.invalid(
              `${prefix}.template.metadata.labels`,
              s.template.metadata?.labels ?? {},
              '`selector` does not match template `labels`',
            ),
          );
        }
      } catch {
        out.push(cause.invalid(`${prefix}.selector`, sel, 'invalid label selector'));
      }
    }
  }
  validatePodSpec(s.template.spec, `${prefix}.template.spec`, out);
  const rp = s.template.spec?.restartPolicy;
  if (rp !== 'OnFailure' && rp !== 'Never')
    out.push(cause.notSupported(`${prefix}.template.spec.restartPolicy`, rp, ['OnFailure', 'Never']));
  if (prefix === 'spec') validatePodFailurePolicy(s.podFailurePolicy, rp, out);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const jobs: ResourceDef = {
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  hasStatus: true,
  subresources: [{ name: 'status', kind: 'Job', group: 'batch', version: 'v1', verbs: ['get', 'patch', 'update'] }],
  prepareForCreate(o) {
    generateSelector(o);
  },
  defaults(o) {
    o.spec ??= {};
    if (!isObject(o.spec)) return;
    defaultJobSpec(o.spec);
    const labels = o.spec.template?.metadata?.labels;
    if (isObject(labels) && Object.keys(labels).length && !Object.keys(o.metadata.labels ?? {}).length)
      o.metadata.labels = { ...labels };
  },
  validate(o, old) {
    const out: StatusCause[] = [];
    const s = o.spec as JobSpec;
    validateJobSpec(s, 'spec', out);
    if (!isObject(s)) return out;
    if (!old && s.manualSelector !== true && isObject(s.selector)) {
      const uid = o.metadata.uid;
      const labels = s.template?.metadata?.labels as Record<string, string> | undefined;
      if (s.selector.matchLabels?.[CONTROLLER_UID] !== uid || labels?.[CONTROLLER_UID] !== uid) {
        out.push(cause.invalid('spec.selector', s.selector, '`selector` not auto-generated'));
      }
    }
    if (old) {
      const os = old.spec ?? {};
      if (!same(os.selector, s.selector)) out.push(cause.immutable('spec.selector', s.selector));
      if (!same(os.completionMode, s.completionMode))
        out.push(cause.immutable('spec.completionMode', s.completionMode));
      if (
        !same(os.completions, s.completions) &&
        !(s.completionMode === 'Indexed' && s.completions === s.parallelism)
      ) {
        out.push(cause.immutable('spec.completions', s.completions));
      }
      if (!same(os.template, s.template) && !(os.suspend && !old.status?.startTime))
        out.push(cause.immutable('spec.template', s.template));
      if (!same(os.podFailurePolicy, s.podFailurePolicy))
        out.push(cause.immutable('spec.podFailurePolicy', s.podFailurePolicy));
    }
    return out;
  },
  fields(o) {
    return { 'status.successful': String(o.status?.succeeded ?? 0) };
  },
};

export const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];

export const cronjobs: ResourceDef = {
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  hasStatus: true,
  subresources: [{ name: 'status', kind: 'CronJob', group: 'batch', version: 'v1', verbs: ['get', 'patch', 'update'] }],
  defaults(o) {
    const s = (o.spec ??= {});
    if (!isObject(s)) return;
    s.concurrencyPolicy ??= 'Allow';
    s.suspend ??= false;
    s.successfulJobsHistoryLimit ??= 3;
    s.failedJobsHistoryLimit ??= 1;
    if (isObject(s.jobTemplate)) {
      s.jobTemplate.metadata ??= {};
      s.jobTemplate.metadata.creationTimestamp ??= null;
      if (isObject(s.jobTemplate.spec)) defaultPodTemplate(s.jobTemplate.spec);
    }
  },
  validate(o, old) {
    const out: StatusCause[] = [];
    const s = o.spec;
    if (!isObject(s)) return [cause.required('spec')];
    const tz = s.timeZone;
    if (tz === '' || tz === 'Local')
      out.push(
        cause.invalid(
          'spec.timeZone',
          tz,
          'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
        ),
      );
    else if (tz != null && (typeof tz !== 'string' || !validTimeZone(tz)))
      out.push(cause.invalid('spec.timeZone', tz, `unknown time zone ${tz}`));
    if (typeof s.schedule !== 'string' || s.schedule === '') out.push(cause.required('spec.schedule'));
    else {
      // Upstream keeps TZ in a schedule only on objects that already had it.
      const allowTZ = typeof old?.spec?.schedule === 'string' && old.spec.schedule.includes('TZ');
      if (s.schedule.includes('TZ')) {
        if (!allowTZ)
          out.push(
            cause.invalid(
              'spec.schedule',
              s.schedule,
              'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
            ),
          );
        else if (tz != null)
          out.push(
            cause.invalid('spec.schedule', s.schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'),
          );
      }
      try {
        parseSchedule(s.schedule, typeof tz === 'string' && validTimeZone(tz) ? tz : undefined);
      } catch (e) {
        out.push(cause.invalid('spec.schedule', s.schedule, (e as Error).message));
      }
    }
    if (!CONCURRENCY_POLICIES.includes(s.concurrencyPolicy))
      out.push(cause.notSupported('spec.concurrencyPolicy', s.concurrencyPolicy, CONCURRENCY_POLICIES));
    if (
      s.startingDeadlineSeconds != null &&
      !(Number.isInteger(s.startingDeadlineSeconds) && s.startingDeadlineSeconds >= 0)
    ) {
      out.push(
        cause.invalid('spec.startingDeadlineSeconds', s.startingDeadlineSeconds, 'must be greater than or equal to 0'),
      );
    }
    nonNegative(s.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit', out);
    nonNegative(s.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit', out);
    if (!isObject(s.jobTemplate)) out.push(cause.required('spec.jobTemplate'));
    else validateJobSpec(s.jobTemplate.spec, 'spec.jobTemplate.spec', out, false);
    const name = o.metadata.name ?? '';
    if (name.length > 52) out.push(cause.invalid('metadata.name', name, 'must be no more than 52 characters'));
    return out;
  },
};
