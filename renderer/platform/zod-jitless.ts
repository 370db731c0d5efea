/**
 * Imported first by the entry point (main.tsx), before any module defines a zod schema: zod 4
 * probes `new Function('')` when it builds an object schema, unless told `jitless`, and the strict
 * Content-Security-Policy of both the server and the desktop shell refuses eval, so every start
 * would report a CSP violation. Jitless parsing is fast enough for our payloads.
 */
import { z } from 'zod';

z.config({ jitless: true });
