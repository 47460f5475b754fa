/** @file `OPTIMGRAD_BACKEND=checked vitest run` runs these tests with every kernel call checked against the Backend contract. */
import { type BackendName, setBackend } from '@optimgrad/core';

const name = process.env.OPTIMGRAD_BACKEND;
if (name) setBackend(name as BackendName);
