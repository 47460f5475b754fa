/** @file @optimgrad/nn (work in progress). */
export const VERSION = '0.1.0';
