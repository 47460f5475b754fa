/** @file @optimgrad/optim (work in progress). */
export const VERSION = '0.1.0';
