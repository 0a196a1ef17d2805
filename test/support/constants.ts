export const TEST_NAMESPACE = 'metas-pdm-test';
