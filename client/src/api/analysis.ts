/**
 * POST /api/analysis/<route>: a run of the analysis panel is a mutation (an explicit "Run",
 * timed). The body is checked by the analysis' own schema first (core/analysis/<slice>/request.ts),
 * so a bad value is refused here exactly as the server would refuse it; the answer may be replaced
 * by the analysis' what-if (the siting plan).
 */
import { useCallback, useMemo, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { parseRequest } from '../../../core/analysis/slice';
import { analysisOf, useSessions, type AnalysisKind, type AnalysisRequest, type AnalysisRun } from '../analyses/registry';
import { postJson } from './http';
import { useToken } from './token';

export interface AnalysisRunner {
  /** What to show: the last successful run (kept while a new one runs or after one fails), or its what-if. */
  run?: AnalysisRun;
  /** The last successful run as the server solved it, before any what-if. */
  solved?: AnalysisRun;
  /** The what-if on the run, for the analyses that have one (siting: the planner's sites). */
  session: unknown;
  /** Each analysis' what-if, on the run or (not its kind) idle: a saved scenario restores one. */
  sessions: Partial<Record<AnalysisKind, unknown>>;
  pending: boolean;
  /** When the pending run started (ms since the epoch). */
  startedAt: number;
  error: Error | null;
  start(request: AnalysisRequest): void;
  /** Shows a run answered before (a saved scenario). */
  restore(run: AnalysisRun): void;
  clear(): void;
}

export function useAnalysisRun(): AnalysisRunner {
  const token = useToken();
  const [run, setRun] = useState<AnalysisRun>();
  const mutation = useMutation({
    mutationFn: async (req: AnalysisRequest): Promise<AnalysisRun> => {
      const { definition } = analysisOf(req.kind);
      parseRequest(definition, req.body);
      const start = performance.now();
      const data = await postJson<unknown>(`/api/analysis/${definition.route}`, req.body, token);
      return { ...req, data, ms: performance.now() - start } as AnalysisRun;
    },
    onSuccess: setRun,
  });
  const { mutate, reset } = mutation;
  const clear = useCallback(() => {
    reset();
    setRun(undefined);
  }, [reset]);
  const restore = useCallback(
    (r: AnalysisRun) => {
      reset();
      setRun(r);
    },
    [reset],
  );
  const sessions = useSessions(run);
  const session = run ? sessions[run.kind] : undefined;
  const result = session?.result;
  const shown = useMemo(() => (run && result ? ({ ...run, data: result } as AnalysisRun) : run), [run, result]);
  return { run: shown, solved: run, session, sessions, pending: mutation.isPending, startedAt: mutation.submittedAt, error: mutation.error, start: mutate, restore, clear };
}
