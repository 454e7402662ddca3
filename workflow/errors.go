package workflow

import "huying"

// failedOr returns err when the store failed (any error but ENOTFOUND: the
// database is down, the disk is full), and otherwise the caller's own
// answer. Authentication and tracking answer "not logged in" or "not
// found" for a missing row; during an outage that would send users to log
// in again, or tell a resident their appeal does not exist.
func failedOr(err, otherwise error) error {
	if err != nil && huying.ErrorCode(err) != huying.ENOTFOUND {
		return err
	}
	return otherwise
}
