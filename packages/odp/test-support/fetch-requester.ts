// One fetch-based test requester for every package's tests: core's.
export { createFetchRequester } from '../../core/test-support/fetch-requester';
