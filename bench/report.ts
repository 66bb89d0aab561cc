import type { Figure } from './lib.ts';

export interface BenchResult {
  bench: string;
  date?: string;
  figures: Figure[];
  error?: string;
  seconds: number;
}

export interface HeadlineRow {
  figure: string;
  anchor: string;
  value?: string;
  spread?: string;
  samples?: number;
  source?: string;
}

/** The figures the report leads with (issue 8), each found by the name its benchmark gives it; the anchor defaults to the benchmark's own. */
const HEADLINE: Array<{ figure: string; match: RegExp; anchor: string; p99?: boolean }> = [
  {
    figure: 'cold start: cluster up → nodes Ready',
    match: /^cluster up → nodes Ready/,
    anchor: 'kind create cluster ≈ 14 s',
  },
  {
    figure: 'pods Ready per second (kubectl scale 0 → 1,000)',
    match: /^kubectl scale 0 → 1,000/,
    anchor: 'kwok ≥ 167 pods/s',
  },
  {
    figure: 'pods Ready per second (1,000 pre-bound pods)',
    match: /^1000 built-in nginx pods: create → all Ready/,
    anchor: 'kwok ≥ 167 pods/s',
  },
  {
    figure: 'LIST 10,000 pods (JSON), p99',
    match: /^LIST 10,000 pods as JSON/,
    anchor: 'upstream SLO: p99 ≤ 1.5 s',
    p99: true,
  },
  { figure: 'engine RSS at 10,000 pods', match: /^engine RSS with 10,000 running pods/, anchor: 'k3s agent ≈ 256 MB' },
  { figure: 'TUI first paint at 5,000 pods', match: /^TUI first paint.*5,000 pods/, anchor: '' },
  { figure: 'TUI first paint at 20,000 pods', match: /^TUI first paint.*20,000 pods/, anchor: '' },
  { figure: 'TUI keypress → frame, p95', match: /^TUI keypress → frame p95/, anchor: '' },
  { figure: 'TUI output per idle second, 5,000 pods', match: /^TUI idle output, 5,000 pods/, anchor: '' },
  { figure: 'TUI idle CPU, 5,000 pods', match: /^TUI idle CPU over 10 s, 5,000 pods/, anchor: '' },
  { figure: 'TUI idle CPU, a 3-row table', match: /^TUI idle CPU over 10 s, a 3-row table/, anchor: '' },
  { figure: 'TUI RSS, small cluster', match: /^TUI RSS, a 3-row table/, anchor: '' },
  { figure: 'TUI RSS, 5,000 pods', match: /^TUI RSS, 5,000 pods/, anchor: '' },
  { figure: 'TUI following a 1,000 lines/s log: CPU', match: /^TUI following .*: CPU/, anchor: '' },
  { figure: 'TUI following a 1,000 lines/s log: RSS', match: /^TUI following .*: RSS/, anchor: '' },
  { figure: 'skiff --version', match: /^skiff --version/, anchor: '' },
  {
    figure: 'TUI spawn → first frame on the local engine',
    match: /^TUI spawn → first frame on the local engine/,
    anchor: '',
  },
  {
    figure: 'NodePort / direct throughput (in-engine pod, keep-alive)',
    match: /^NodePort \/ direct pod throughput \(in-engine pod, 32 keep-alive/,
    anchor: 'userspace kube-proxy ≈ 36 %, iptables ≈ 96 %',
  },
  {
    figure: 'NodePort / direct throughput (in-engine pod, new connection per request)',
    match: /^NodePort \/ direct pod throughput \(in-engine pod, new connection/,
    anchor: 'userspace kube-proxy ≈ 36 %, iptables ≈ 96 %',
  },
  {
    figure: 'NodePort / direct throughput (process pod requesting a CPU, keep-alive)',
    match: /^NodePort \/ direct pod throughput \(process pod, nice \d+, requests\.cpu 1, 32 keep-alive/,
    anchor: 'goal ≥ 70 %; userspace kube-proxy ≈ 36 %, iptables ≈ 96 %',
  },
  {
    figure: 'NodePort / direct throughput (process pod requesting a CPU, new connection per request)',
    match: /^NodePort \/ direct pod throughput \(process pod, nice \d+, requests\.cpu 1, new connection/,
    anchor: 'goal ≥ 60 %; userspace kube-proxy ≈ 36 %, iptables ≈ 96 %',
  },
  {
    figure: 'NodePort / direct throughput (BestEffort process pod, keep-alive)',
    match: /^NodePort \/ direct pod throughput \(process pod, nice \d+, BestEffort, 32 keep-alive/,
    anchor: 'userspace kube-proxy ≈ 36 %, iptables ≈ 96 %',
  },
  {
    figure: 'NodePort / direct throughput (BestEffort process pod, new connection per request)',
    match: /^NodePort \/ direct pod throughput \(process pod, nice \d+, BestEffort, new connection/,
    anchor: 'userspace kube-proxy ≈ 36 %, iptables ≈ 96 %',
  },
  {
    figure: 'cluster DNS queries answered per second',
    match: /^cluster DNS A queries answered/,
    anchor: 'CoreDNS ≈ 30,000/s per core',
  },
  {
    figure: 'failed requests during a rolling update (20 req/s, no probes)',
    match: /^failed requests during a rolling update \(4 replicas, 20 req/,
    anchor: 'Kubernetes: 0 with readiness probes and a preStop delay',
  },
  {
    figure: 'failed requests during a rolling update (200 req/s, readiness probe + preStop)',
    match: /^failed requests during a rolling update \(4 replicas, 200 req/,
    anchor: 'Kubernetes: 0 with readiness probes and a preStop delay',
  },
  {
    figure: 'metrics pipeline cost at 1,000 pods',
    match: /^metrics: pipeline cost at 1000 pods/,
    anchor: 'goal < 2 % of a core',
  },
  {
    figure: 'idle CPU of the engine',
    match: /^engine CPU, idle cluster/,
    anchor: 'k3s server + 1 agent ≈ 5 % of a core',
  },
];

export function headlineRows(results: BenchResult[]): HeadlineRow[] {
  return HEADLINE.map((h) => {
    for (const r of results) {
      const x = r.figures.find((f) => h.match.test(f.name));
      if (!x) continue;
      const v = h.p99 && x.p99 !== undefined ? x.p99 : x.median;
      return {
        figure: h.figure,
        anchor: [x.goal ? `goal ${x.goal}` : '', h.anchor || x.anchor || ''].filter(Boolean).join('; '),
        value: `${v} ${x.unit}${x.note ? ` (${x.note})` : ''}`,
        spread: x.min !== undefined && x.samples !== 1 ? `${x.min}–${x.max}` : undefined,
        samples: x.samples,
        source: r.bench,
      };
    }
    return { figure: h.figure, anchor: h.anchor };
  });
}
