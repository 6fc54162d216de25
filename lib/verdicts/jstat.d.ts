// jStat ships no types; what lib/verdicts uses of it.
declare module 'jstat' {
  const jStat: {
    studentt: { inv(p: number, dof: number): number };
    normal: { inv(p: number, mean: number, sd: number): number };
  };
  export default jStat;
}
