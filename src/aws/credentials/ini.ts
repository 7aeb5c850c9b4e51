/** Sections of an INI file: section name → key → value. */
export type IniSections = Map<string, Map<string, string>>;

/**
 * Parses the AWS shared-file INI dialect: `[section]` headers, `key = value`
 * lines, `#` and `;` comments (whole lines, or after whitespace in a value),
 * and indented lines that belong to a nested block (`s3 =` followed by
 * indented `key = value`), which are skipped: no setting this package reads
 * lives in one. Keys are lowercased; later duplicates win.
 *
 * @example
 * ```ts
 * parseIni("[default]\naws_access_key_id = AKIA…\n").get("default")?.get("aws_access_key_id");
 * ```
 */
export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*([#;].*)?$/.test(raw)) continue;
    const header = /^\s*\[([^\]]*)\]\s*([#;].*)?$/.exec(raw);
    if (header) {
      const name = header[1]!.trim();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    if (!current || /^\s/.test(raw)) continue;
    const eq = raw.indexOf("=");
    if (eq < 0) continue;
    const key = raw.slice(0, eq).trim().toLowerCase();
    const value = raw.slice(eq + 1).replace(/\s[#;].*$/, "").trim();
    if (key) current.set(key, value);
  }
  return sections;
}

/**
 * The profiles of a config file: `[default]` and `[profile name]` (the
 * `profile ` prefix stripped); other sections (`[sso-session x]`,
 * `[services x]`) are not profiles.
 */
export function configProfiles(sections: IniSections): Map<string, Map<string, string>> {
  const profiles = new Map<string, Map<string, string>>();
  for (const [name, values] of sections) {
    const match = /^profile\s+(.+)$/.exec(name);
    if (match) profiles.set(match[1]!.trim(), values);
    else if (name === "default") profiles.set("default", new Map([...values, ...(profiles.get("default") ?? [])]));
  }
  return profiles;
}
