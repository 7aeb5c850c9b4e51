/** See lazy-descriptors.mjs. */
export declare function lazyDescriptors(): {
  name: string;
  enforce: "pre";
  resolveId(source: string, importer?: string): string | null;
};
