package rules

import (
	"strconv"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// questionAt returns the question a JSON pointer points into, if any.
func questionAt(p *lint.Pass, ptr string) *bank.Question {
	toks := tomltree.SplitPointer(ptr)
	if p.Bank == nil || len(toks) < 2 || toks[0] != "question" {
		return nil
	}
	i, err := strconv.Atoi(toks[1])
	if err != nil {
		return nil
	}
	for _, q := range p.Bank.Questions {
		if q.Index == i {
			return q
		}
	}
	return nil
}

// field returns the node of a question's key, falling back to the
// question's header so a finding always has a place.
func field(q *bank.Question, key string) *tomltree.Node {
	if n := q.Node.Get(key); n != nil {
		return n
	}
	return q.Node
}

// itemNode returns the i-th item of an array-valued key, or the key's node.
func itemNode(q *bank.Question, key string, i int) *tomltree.Node {
	n := field(q, key)
	if n.Kind == tomltree.Array && i < len(n.Items) {
		return n.Items[i]
	}
	return n
}
