// A plain right-aligned text table for the benchmark report.
export function table(headers: string[], rows: (string | number)[][]): string {
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    const line = (cells: (string | number)[]) =>
        cells.map((c, i) => String(c).padStart(widths[i])).join("  ");
    return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
