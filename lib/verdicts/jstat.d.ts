// jStat ships no types; what lib/verdicts uses of it.
declare module 'jstat' {
  const jStat: { studentt: { inv(p: number, dof: number): number } };
  export default jStat;
}
