// Package selfcheck owns the self-check widget whole: its block format,
// parsing with positions in the essay, validation, the HTML, and the
// embedded script and stylesheet (with their own node tests in js/).
// It knows nothing of goldmark, pages or layouts: the goldmark extension
// in package selfcheckext (generator/markdown/selfcheckext) hands it a
// fence's body and an inline-Markdown renderer.
//
// # The block
//
// A self-check is a fenced code block whose info string is selfcheck,
// holding YAML. It reads as a code block on GitHub and in any preview.
// There are two kinds. A continuum shows readers where they stand between
// two ends:
//
//	```selfcheck
//	id: leadership-stance        # the storage key; unique on the page
//	version: 1                   # raise it when you change the items
//	kind: continuum
//	title: Where do you stand?
//	intro: Answer for your organisation as it is today.   # optional
//	axis:
//	  left: Practitioner leadership
//	  right: Servant leadership
//	items:
//	  - type: choice             # one answer; score -2..2 toward the right
//	    text: When a colleague is stuck, you usually…
//	    options:
//	      - text: Take the task over and finish it
//	        score: -2
//	      - text: Show them how you would do it
//	        score: -1
//	      - text: Ask what is in their way and remove it
//	        score: 2
//	  - type: likert             # a 5-point agreement scale
//	    statement: Our leaders are our best practitioners.
//	    keyed: left              # agreeing points to the left end
//	  - type: likert
//	    statement: My main job is to make others' work possible.
//	    keyed: right
//	  - type: reflection         # free text, not scored
//	    prompt: Which decision this week could someone else have made?
//	bands:
//	  - from: -100
//	    to: -33
//	    title: Leaning practitioner
//	    body: You lead by doing the work.
//	    reflect:
//	      - What would happen if you stepped back for a week?
//	  - from: -33
//	    to: 33
//	    title: Between the two
//	    body: You mix both models.
//	  - from: 33
//	    to: 100
//	    title: Leaning servant
//	    body: You lead by supporting those who do the work.
//	```
//
// A quiz has right and wrong answers, feedback for every option, and a
// pass mark (the number of items to get right; all of them when left out):
//
//	```selfcheck
//	id: models-quiz
//	version: 1
//	kind: quiz
//	title: Check your reading
//	pass: 2
//	items:
//	  - type: choice             # exactly one correct option
//	    text: Who creates the value in a servant-led organisation?
//	    options:
//	      - text: The leader
//	        feedback: That is the practitioner model.
//	      - text: The people the leader supports
//	        correct: true
//	        feedback: Yes; the leader clears their way.
//	  - type: multi              # one or more correct options, checkboxes
//	    text: Which are *stops* on the continuum?
//	    options:
//	      - text: A player-coach
//	        correct: true
//	      - text: A leader who never delegates
//	        correct: true
//	      - text: A vending machine
//	```
//
// Question, option, feedback, intro, band and reflection texts may hold
// inline Markdown, rendered with the site's own settings. A likert item's
// question is `statement:` (or `text:`), a reflection's is `prompt:` (or
// `text:`), a choice's or multi's is `text:`.
//
// # Scoring a continuum
//
// Each scored item earns -2..+2 points toward the right end: a choice the
// score of the chosen option; a likert item -2 (strongly disagree) to +2
// (strongly agree) when keyed right, the opposite when keyed left. With n
// scored items the total t sits at position 100*t/(2n): -100 is the left
// end, 0 the middle, +100 the right end. Bands are written in these
// positions (whole numbers): a band holds from <= position < to, and the
// last band also its to. Bands must follow one another without gaps or
// overlaps and cover every position a reader can reach; they may cover
// more (-100..100 always works). The "score it yourself" table shows each
// band as the whole totals it holds, so readers need no arithmetic.
//
// A result in the middle third (|position| <= 33⅓) is "balanced" when the
// answers averaged less than 1 point either way, "mixed" when strong
// answers cancelled out.
//
// # Validation
//
// Every mistake is an error at the essay's file:line:col with what to fix:
// bad YAML, an unknown key (with "did you mean"), a missing id, version,
// title, kind or question, a duplicate id on a page (CheckPage), an option
// without a score or with a score outside -2..2, a quiz item without a
// correct answer or with several on a single choice, bands with gaps or
// overlaps or that leave part of the reachable range uncovered, a pass mark
// above the number of items, and keys that belong to the other kind. A
// continuum is lopsided, a warning, when a reader who answers "agree" (+1)
// to every likert statement, and takes the average option of every choice,
// lands outside the middle third.
//
// # In the browser
//
// The HTML is a form that reads well without JavaScript: a fieldset per
// item with its question as legend, native radios and checkboxes with
// labels, and a "score it yourself" details section with the points and
// bands (for a quiz, the answers and feedback). The script (JS) enhances
// every form.selfcheck: the result in a role=status region that takes the
// focus, a drawn axis with a marker and a text alternative, the band's
// text and reflection prompts, the answers that pulled toward each end;
// answers and attempts kept in localStorage under selfcheck:<id>:v<version>
// (older versions kept and shown, never dropped), export as Markdown, a
// "Forget my answers" button, and a bubbling selfcheck:complete event whose
// detail holds id, version, kind, answers and the attempt's result. It
// never uses the network. All user-facing words come from Strings.
package selfcheck
