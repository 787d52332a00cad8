package sources

import (
	"database/sql"
	"errors"
	"net/http"
)

// Not-found as (nil, nil) (issue 13): a repository that returns no user
// and no error for a missing row; the handler checks only the error.

type User struct {
	ID      int64
	Profile *Profile
}

type Profile struct{ Email string }

type Users struct{ db *sql.DB }

func (u *Users) Find(id int64) (*User, error) { // want Find:"nilsentry\\(r0=maybenil r0=nil-on-err r0=fields-set\\(1\\) p0=derefs\\)"
	row := u.db.QueryRow("SELECT id FROM users WHERE id = ?", id)
	var usr User
	if err := row.Scan(&usr.ID); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil // not found
		}
		return nil, err
	}
	usr.Profile = &Profile{}
	return &usr, nil
}

func (u *Users) serveEmail(w http.ResponseWriter, id int64) {
	usr, err := u.Find(id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	_, _ = w.Write([]byte(usr.Profile.Email)) // want `nil dereference: usr may be nil here \(\(\*Users\).Find returns nil with a nil error at notfound.go:\d+\)`
}

// Safe look-alikes.

// The handler checks the not-found case too.
func (u *Users) serveEmailChecked(w http.ResponseWriter, id int64) {
	usr, err := u.Find(id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if usr == nil {
		http.NotFound(w, nil)
		return
	}
	_, _ = w.Write([]byte(usr.Profile.Email))
}

var errNotFound = errors.New("user not found")

// A repository that reports not-found as an error keeps the contract.
func (u *Users) Get(id int64) (*User, error) { // want Get:"nilsentry\\(r0=nil-if-err r0=nil-on-err r0=fields-set\\(1\\) p0=derefs\\)"
	usr, err := u.Find(id)
	if err != nil {
		return nil, err
	}
	if usr == nil {
		return nil, errNotFound
	}
	return usr, nil
}

func (u *Users) serveEmailGet(w http.ResponseWriter, id int64) {
	usr, err := u.Get(id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	_, _ = w.Write([]byte(usr.Profile.Email))
}
