// `cem analyze` (npm run build): custom-elements.json, the Custom Elements Manifest that IDEs and
// Storybook read (package.json's `customElements`): the elements' tags, attributes, properties,
// parts and CSS properties, from their classes and JSDoc.

/**
 * Lit's internal reactive state (`state: true` in `static properties`, `declare private` fields)
 * has no attribute, but the analyzer lists one for every static property: drop those of
 * private fields.
 */
const noPrivateAttributes = {
  name: 'tabstream-no-private-attributes',
  packageLinkPhase({ customElementsManifest }) {
    for (const module of customElementsManifest.modules) {
      for (const declaration of module.declarations ?? []) {
        const hidden = new Set(
          (declaration.members ?? [])
            .filter((member) => member.privacy === 'private')
            .map((member) => member.name),
        );
        if (!declaration.attributes) continue;
        declaration.attributes = declaration.attributes.filter(
          (attribute) => !hidden.has(attribute.fieldName),
        );
        for (const member of declaration.members ?? [])
          if (hidden.has(member.name)) delete member.attribute;
      }
    }
  },
};

export default {
  globs: [
    'src/ui/index.ts',
    'src/ui/counts/counts.ts',
    'src/ui/monitor/monitor.ts',
    'src/ui/sql/sql.ts',
    'src/ui/heatmap/heatmap.ts',
    'src/ui/heatmap/controls.ts',
    'src/ui/paths/paths.ts',
    'src/ui/paths/explorer.ts',
    'src/ui/funnel/funnel.ts',
    'src/ui/funnel/explorer.ts',
  ],
  litelement: true,
  outdir: '.',
  plugins: [noPrivateAttributes],
};
