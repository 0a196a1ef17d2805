import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The municipality's name and escudo for the page being answered, so every page's header shows them
 * (also the pages rendered where no response is at hand: sign-in, errors, the liaison's form).
 * Set once per request by `brandHeader` (server/brandingAssets.ts).
 */
export interface PageBrand {
  /** The municipality's name ("Pasto"); null until it is known. */
  name: string | null;
  /** The escudo in use, at its immutable URL; null: none uploaded. */
  escudoUrl: string | null;
}

const storage = new AsyncLocalStorage<PageBrand>();

export const runWithBrand = <T>(brand: PageBrand, fn: () => T): T => storage.run(brand, fn);

/** The brand of the request being answered (null outside a request, e.g. in a unit test). */
export const requestBrand = (): PageBrand | null => storage.getStore() ?? null;
