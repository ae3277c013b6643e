/** End-to-end tests in n8n's queue mode (PostgreSQL, Redis, main, webhook processors, worker). */
const base = require('./jest.e2e.config.js');

module.exports = {
	...base,
	roots: ['<rootDir>/test/e2e/queue'],
	testPathIgnorePatterns: ['/node_modules/'],
};
