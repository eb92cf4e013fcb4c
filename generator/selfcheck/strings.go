package selfcheck

// Strings are the widget's user-facing texts. The `selfcheck:` section of
// site.yaml overrides any of them, so a site in another language translates
// the widget. Words in braces are placeholders filled in by the script:
// {band} a band's title, {percent} a whole number, {end} an axis label,
// {where} a position as worded by Where or MiddleWhere, {date} a date,
// {n} a count, {score} {total} {pass} quiz marks, {version} a version,
// {items} question numbers, {from} {to} positions as worded by Where,
// {title} a result's or the self-check's title, {x} {y} a quadrant's two
// positions as worded by Toward or Even, {left} {right} an axis's ends,
// {who} a team member's number.
type Strings struct {
	Submit           string `yaml:"submit" json:"-"`
	Check            string `yaml:"check" json:"-"`
	Retry            string `yaml:"retry" json:"retry"`
	ScoreYourself    string `yaml:"score_yourself" json:"-"`
	HowToScore       string `yaml:"how_to_score" json:"-"`
	Answers          string `yaml:"answers" json:"-"`
	Total            string `yaml:"total" json:"-"`
	Result           string `yaml:"result" json:"result"`
	StronglyDisagree string `yaml:"strongly_disagree" json:"sd"`
	Disagree         string `yaml:"disagree" json:"d"`
	Neutral          string `yaml:"neutral" json:"n"`
	Agree            string `yaml:"agree" json:"a"`
	StronglyAgree    string `yaml:"strongly_agree" json:"sa"`
	Unanswered       string `yaml:"unanswered" json:"unanswered"`
	Position         string `yaml:"position" json:"position"`
	Middle           string `yaml:"middle" json:"middle"`
	Earlier          string `yaml:"earlier" json:"earlier"`
	Where            string `yaml:"where" json:"where"`
	MiddleWhere      string `yaml:"middle_where" json:"middleWhere"`
	Pulled           string `yaml:"pulled" json:"pulled"`
	Balanced         string `yaml:"balanced" json:"balanced"`
	Mixed            string `yaml:"mixed" json:"mixed"`
	Reflect          string `yaml:"reflect" json:"reflect"`
	History          string `yaml:"history" json:"history"`
	Older            string `yaml:"older" json:"older"`
	Forget           string `yaml:"forget" json:"forget"`
	Forgotten        string `yaml:"forgotten" json:"forgotten"`
	Copy             string `yaml:"copy" json:"copy"`
	Copied           string `yaml:"copied" json:"copied"`
	// Download is no longer shown (Copy exports the same Markdown); it
	// stays so that a site.yaml that translates it still loads.
	Download      string `yaml:"download" json:"-"`
	Stored        string `yaml:"stored" json:"stored"`
	QuizScore     string `yaml:"quiz_score" json:"quizScore"`
	Passed        string `yaml:"passed" json:"passed"`
	Failed        string `yaml:"failed" json:"failed"`
	Correct       string `yaml:"correct" json:"correct"`
	Incorrect     string `yaml:"incorrect" json:"incorrect"`
	YourAnswer    string `yaml:"your_answer" json:"yourAnswer"`
	Progress      string `yaml:"progress" json:"progress"`
	Spread        string `yaml:"spread" json:"spread"`
	Toward        string `yaml:"toward" json:"toward"`
	Even          string `yaml:"even" json:"even"`
	Point         string `yaml:"point" json:"point"`
	HowToScoreMap string `yaml:"how_to_score_map" json:"-"`
	Share         string `yaml:"share" json:"share"`
	ShareAnswers  string `yaml:"share_answers" json:"shareAnswers"`
	LinkCopied    string `yaml:"link_copied" json:"linkCopied"`
	Shared        string `yaml:"shared" json:"shared"`
	SharedInvite  string `yaml:"shared_invite" json:"sharedInvite"`
	SharedAnswers string `yaml:"shared_answers" json:"sharedAnswers"`
	Team          string `yaml:"team" json:"team"`
	TeamPaste     string `yaml:"team_paste" json:"teamPaste"`
	TeamAdd       string `yaml:"team_add" json:"teamAdd"`
	TeamCount     string `yaml:"team_count" json:"teamCount"`
	TeamRange     string `yaml:"team_range" json:"teamRange"`
	Remove        string `yaml:"remove" json:"remove"`
	Feed          string `yaml:"feed" json:"-"`
	FeedLink      string `yaml:"feed_link" json:"-"`
}

// DefaultStrings returns the English texts.
func DefaultStrings() Strings {
	return Strings{
		Submit:           "See where you stand",
		Check:            "Check my answers",
		Retry:            "Try again",
		ScoreYourself:    "Score it yourself",
		HowToScore:       "Give yourself the points shown for each answer and add them up; the table says what your total means.",
		Answers:          "Answers",
		Total:            "Total",
		Result:           "Result",
		StronglyDisagree: "Strongly disagree",
		Disagree:         "Disagree",
		Neutral:          "Neither agree nor disagree",
		Agree:            "Agree",
		StronglyAgree:    "Strongly agree",
		Unanswered:       "Please answer every question first: {items} still to answer.",
		Position:         "{band}: {percent}% of the way from the middle toward {end}",
		Middle:           "{band}: right in the middle",
		Earlier:          "You were at {where} on {date}",
		Where:            "{percent}% {end}",
		MiddleWhere:      "the middle",
		Pulled:           "Answers that pulled toward {end}",
		Balanced:         "Balanced: your answers were consistently moderate.",
		Mixed:            "Mixed: you answered strongly both ways, and the answers cancelled out.",
		Reflect:          "To reflect on",
		History:          "Earlier attempts",
		Older:            "Saved for an earlier version ({version}) of this self-check",
		Forget:           "Forget my answers",
		Forgotten:        "Your answers have been forgotten.",
		Copy:             "Copy as Markdown",
		Copied:           "Copied.",
		Download:         "Download as Markdown",
		Stored:           "Your answers are kept only in this browser.",
		QuizScore:        "You got {score} of {total} right.",
		Passed:           "Passed.",
		Failed:           "Not yet: you need {pass} to pass. Read the feedback and try again.",
		Correct:          "Correct",
		Incorrect:        "Not correct",
		YourAnswer:       "your answer",
		Progress:         "{n} of {total} answered",
		Spread:           "Your answers ranged from {from} to {to}.",
		Toward:           "{percent}% toward {end}",
		Even:             "midway between {left} and {right}",
		Point:            "{title}: {x}; {y}",
		HowToScoreMap:    "Add up the points of each scale on its own; the table says what your two totals mean. Look at the first row first: when both totals fall in its range, that is your result.",
		Share:            "Share my result",
		ShareAnswers:     "Include my answers in the link",
		LinkCopied:       "Link copied: ",
		Shared:           "Someone shared this result",
		SharedInvite:     "Answer the questions below to see where you stand beside them.",
		SharedAnswers:    "Their answers",
		Team:             "Team view",
		TeamPaste:        "Result links that team members shared, one per line",
		TeamAdd:          "Add",
		TeamCount:        "{n} results",
		TeamRange:        "From {from} to {to}.",
		Remove:           "Remove {who}",
		Feed:             "Self-check: {title}.",
		FeedLink:         "Take it on the essay's page",
	}
}
