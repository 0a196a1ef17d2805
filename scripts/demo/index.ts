/** The demo municipality: generated from a seed, loaded at first start, used by samples, benchmarks and tests. */
export * from './municipalityData';
export { generateMunicipality } from './municipality';
export { loadMunicipality } from './load';
