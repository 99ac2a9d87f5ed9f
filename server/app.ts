/** Assembles the Express app: security headers, logging, auth, API routes, the built client. */
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { authenticate } from './auth.js';
import type { Config } from './config.js';
import { errorHandler, notFound } from './errors.js';
import { rejectControlCharacters } from './input-guard.js';
import { scrubRequest } from './logger.js';
import { publicLimits, signInLimit } from './rate-limits.js';
import { analysisRoutes } from './routes/analysis.js';
import { auditRoutes } from './routes/audit.js';
import { editRoutes } from './routes/edit.js';
import { exportBody, exportRoutes } from './routes/export.js';
import { importRoutes } from './routes/import.js';
import { incidentRoutes } from './routes/incidents.js';
import { layerRoutes } from './routes/layers.js';
import { metaRoutes } from './routes/meta.js';
import { ogcRoutes } from './routes/ogc.js';
import { scenarioRoutes } from './routes/scenarios.js';
import type { Db } from './store/index.js';

export function createApp(db: Db, config: Config, logger: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // MapLibre and React set inline styles; online basemap tiles come from configured hosts.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
          connectSrc: ["'self'", 'https:'],
          workerSrc: ["'self'", 'blob:'],
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(
    pinoHttp({
      logger,
      autoLogging: { ignore: (req) => !req.url?.startsWith('/api') },
      serializers: { req: scrubRequest },
    }),
  );
  // Analysis results to export may be larger than other JSON bodies.
  app.use('/api/export', exportBody);
  app.use(express.json({ limit: '1mb' }));

  const api = express.Router();
  api.use(rejectControlCharacters);
  api.use(signInLimit(config.rateLimits));
  api.use(authenticate(config));
  api.use(publicLimits(config.rateLimits));
  api.use(layerRoutes(db));
  api.use(editRoutes(db));
  api.use(auditRoutes(db));
  api.use(importRoutes(db, config.importLimitMb));
  api.use(exportRoutes(db));
  api.use(metaRoutes(db, config));
  api.use('/ogc', ogcRoutes(db));
  api.use(analysisRoutes(db));
  api.use(incidentRoutes(db));
  api.use(scenarioRoutes(db));
  api.use((req) => {
    throw notFound(`No endpoint ${req.method} /api${req.path}.`);
  });
  app.use('/api', api);

  const index = path.join(config.clientDir, 'index.html');
  app.use(express.static(config.clientDir, { index: false, maxAge: '1h' }));
  app.get(/.*/, (_req, res) => {
    if (fs.existsSync(index)) res.sendFile(index);
    else res.status(503).type('text/plain').send('The client is not built: run "npm start" (or "npm run build") first.\n');
  });
  app.use(errorHandler);
  return app;
}
