// Unit tests run without the test database: their projects' global setup starts no PostgreSQL (a
// unit test that needs one belongs in test/integration).
import { describe, expect, inject, it } from 'vitest';

describe('the unit projects', () => {
  it('are given no database', () => {
    expect(inject('pgAdminUrl')).toBeUndefined();
  });
});
