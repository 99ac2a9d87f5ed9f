import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './api/http';
import { prefetchStartup } from './api/startup';
import { I18nProvider } from './i18n';
import { shellFor } from './shells';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx answer (bad token, unknown layer) does not get better by asking again.
      retry: (failures, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && failures < 2,
      refetchOnWindowFocus: false,
    },
  },
});

prefetchStartup(queryClient);

// The URL chooses the shell (shells/paths.ts); only its chunk is loaded.
const Shell = shellFor(window.location.pathname);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <Suspense fallback={null}>
          <Shell />
        </Suspense>
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
