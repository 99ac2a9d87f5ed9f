/**
 * The state of one import: the file, the planner's choices, the dry run they preview (re-run on
 * every change of layer, CRS, mode or key, as each changes what would be written), and the real
 * import with upload and server progress. When it is done every cached query is invalidated, so
 * the layers, counts and search reload from the store the analyses read.
 */
import { useCallback, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { layerWithRole } from '../../../core/catalogue/roles';
import type { LayerDef } from '../../../core/catalogue/types';
import { importStatus, newImportId, postImport, type CrsChoice, type ImportMode, type ImportReport } from '../api/import';
import { useToken } from '../api/token';
import type { ConnectivityChoice } from './ConnectivityChooser';
import { csvHeaders, guessLayer } from './guess';

export type Step = 'setup' | 'preview' | 'import';

export interface ImportChoices {
  layerId?: string;
  crs: CrsChoice;
  mode: ImportMode;
  key: string;
  /** Road network only: `auto` lets the file decide (or keeps the county's rule). */
  connectivity: ConnectivityChoice;
}

interface Chosen {
  file: File;
  /** Tells two drops of files with the same name apart in the query keys. */
  serial: number;
  /** The layer guessed from the name and headers (shown as a guess). */
  guessed?: string;
}

const FRESH: ImportChoices = { crs: 'auto', mode: 'append', key: 'id', connectivity: 'auto' };
/** The layer a connectivity rule applies to. */
export const NETWORK_LAYER = layerWithRole('network').id;
/** Enough of a CSV for its header row. */
const HEAD_BYTES = 4096;
const POLL_MS = 400;

let serials = 0;

export function useImport(layers: readonly LayerDef[]) {
  const token = useToken();
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [choices, setChoices] = useState<ImportChoices>(FRESH);
  const [step, setStep] = useState<Step>('setup');
  const [upload, setUpload] = useState<{ importId: string; sent: number; total: number } | null>(null);
  const connectivity = choices.layerId === NETWORK_LAYER && choices.connectivity !== 'auto' ? choices.connectivity : undefined;

  const dryRun = useQuery({
    queryKey: ['import-dry-run', chosen?.serial, choices.layerId, choices.crs, choices.mode, choices.key, connectivity],
    queryFn: ({ signal }) =>
      postImport(choices.layerId!, chosen!.file, { crs: choices.crs, mode: choices.mode, key: choices.key, dryRun: true, connectivity }, token, undefined, signal),
    enabled: step === 'preview' && Boolean(chosen && choices.layerId),
    // While a changed choice re-runs, the same file's last preview stays (flagged as updating).
    placeholderData: (previous, query) => (query?.queryKey[1] === chosen?.serial ? previous : undefined),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });

  const commit = useMutation({
    mutationFn: (report: ImportReport) => {
      const importId = newImportId();
      const file = chosen!.file;
      setUpload({ importId, sent: 0, total: file.size });
      // The CRS and the road rule the planner saw the preview in, not `auto`: what is written is what was previewed.
      // A rule kept from the county is not sent, so that it stays the county's (not the file's first county's).
      const rule = report.network && report.network.connectivityFrom !== 'stored' ? report.network.connectivity : undefined;
      return postImport(report.layer, file, { crs: report.crs, mode: report.mode, key: choices.key, dryRun: false, importId, connectivity: rule }, token, (sent, total) =>
        setUpload({ importId, sent, total }),
      );
    },
    onSuccess: () => queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'import-dry-run' }),
  });

  const status = useQuery({
    queryKey: ['import-status', upload?.importId],
    queryFn: ({ signal }) => importStatus(upload!.importId, signal),
    enabled: Boolean(upload) && commit.isPending,
    refetchInterval: POLL_MS,
    retry: false,
    gcTime: 0,
  });

  const { reset: resetCommit } = commit;
  const open = useCallback(
    async (file: File) => {
      const headers = csvHeaders(new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer()), file.name);
      const guessed = guessLayer(layers, file.name, headers);
      setChosen({ file, serial: ++serials, guessed });
      setChoices({ ...FRESH, layerId: guessed });
      setStep('setup');
      setUpload(null);
      resetCommit();
    },
    [layers, resetCommit],
  );

  const close = useCallback(() => {
    setChosen(null);
    setUpload(null);
    resetCommit();
  }, [resetCommit]);

  const confirm = useCallback(
    (report: ImportReport) => {
      setStep('import');
      commit.mutate(report);
    },
    [commit],
  );

  return {
    file: chosen?.file,
    guessed: chosen?.guessed,
    choices,
    setChoices,
    step,
    setStep,
    /** The dry run's report; while a changed one runs, the previous (flagged by `updating`). */
    report: dryRun.data,
    updating: dryRun.isFetching,
    dryRunError: dryRun.error,
    confirm,
    upload,
    serverStatus: status.data,
    final: commit.data,
    importError: commit.error,
    importing: commit.isPending,
    open,
    close,
  };
}

export type ImportState = ReturnType<typeof useImport>;
