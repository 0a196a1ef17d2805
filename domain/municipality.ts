/** Where the installation's municipality (name and DANE code) was set, in words for people. */
export const identitySources = ['file', 'page', 'config'] as const;
export type IdentitySource = (typeof identitySources)[number];

export const identitySourceLabels: Record<IdentitySource, string> = {
  file: 'los títulos del Plan Indicativo',
  page: 'la página Municipio',
  config: 'la configuración',
};
