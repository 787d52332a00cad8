// Package settingsfix has one finding; TestSettingsReachTheAnalyzer
// checks that the plugin's settings decide whether it is reported.
package settingsfix

type User struct{ Name string }

func Name(ok bool) string {
	var u *User
	if ok {
		u = &User{}
	}
	return u.Name
}
