// js-yaml 4 ships no types; the scripts use only `load`.
declare module 'js-yaml' {
  const yaml: { load(text: string): unknown };
  export default yaml;
}
