/**
 * The MRS endpoint of a region: `https://mrs.{region}.myhuaweicloud.com`
 * (Go SDK `services/mrs/v2/region/region.go`).
 */
export function mrsEndpoint(region: string): string {
  return `https://mrs.${region}.myhuaweicloud.com`;
}
