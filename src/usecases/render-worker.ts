// A render worker thread (see render-parallel.ts): compiles the message once, renders every batch it is sent.
import { serveBatches } from '../render/index.js';
import { workerRenderer, type RenderWorkerData } from './render-parallel.js';

serveBatches((data) => workerRenderer(data as RenderWorkerData));
