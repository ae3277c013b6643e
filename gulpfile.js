// Copies what tsc does not emit into dist: node icons (light and dark SVG) and codex .node.json files.
const { src, dest } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'icons/**/*.{svg,png}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:assets'] = copyAssets;
exports.default = copyAssets;
