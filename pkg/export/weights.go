package export

import "strconv"

// MoodlePercents are the answer grades Moodle accepts, in percent, from
// the largest down (question_bank's grade options; their negatives are
// valid penalties). Importers reject other values.
var MoodlePercents = []string{
	"100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40",
	"33.33333", "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5",
}

// KeyPercents splits 100% across n keys using only MoodlePercents, so the
// keys add up to 100 (to Moodle's rounding). Equal shares when one exists
// (n = 1…10 or 20); for 11…19 keys, shares of 10 and 5. It returns nil
// when n is 0 or above 20.
func KeyPercents(n int) []string {
	if n <= 0 || n > 20 {
		return nil
	}
	out := make([]string, n)
	if p := equalShare(n); p != "" {
		for i := range out {
			out[i] = p
		}
		return out
	}
	tens := 20 - n // 10*tens + 5*(n-tens) = 100
	for i := range out {
		if i < tens {
			out[i] = "10"
		} else {
			out[i] = "5"
		}
	}
	return out
}

// WrongPercent is the penalty of each of n wrong options: minus the largest
// grade whose n-fold stays within 100%, so picking every option scores 0
// at best.
func WrongPercent(n int) string {
	if n <= 0 {
		return "0"
	}
	for _, p := range MoodlePercents {
		f, _ := strconv.ParseFloat(p, 64)
		if f*float64(n) <= 100.0001 {
			return "-" + p
		}
	}
	return "-5"
}

func equalShare(n int) string {
	for _, p := range MoodlePercents {
		f, _ := strconv.ParseFloat(p, 64)
		total := f * float64(n)
		if total > 99.999 && total < 100.001 {
			return p
		}
	}
	return ""
}

// Weights returns the percent of each option of q, in option order, for
// formats that grade with Moodle's fractions: a single-answer question
// gives its key 100 and the rest 0; a multiple-answer one splits 100
// across its keys and gives each wrong option a penalty. ok is false when
// the keys cannot be split (more than 20).
func Weights(multiple bool, options int, keys []int) (out []string, ok bool) {
	out = make([]string, options)
	isKey := make([]bool, options)
	for _, k := range keys {
		isKey[k] = true
	}
	if !multiple {
		for i := range out {
			out[i] = "0"
			if isKey[i] {
				out[i] = "100"
			}
		}
		return out, len(keys) <= 1
	}
	kp := KeyPercents(len(keys))
	wp := WrongPercent(options - len(keys))
	ki := 0
	for i := range out {
		switch {
		case isKey[i] && kp != nil:
			out[i] = kp[ki]
			ki++
		case isKey[i]:
			out[i] = "5"
		default:
			out[i] = wp
		}
	}
	return out, kp != nil || len(keys) == 0
}
