package scenarios

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/catalogue"
	"github.com/listkeys-conformance/listkeys-conformance/internal/recording"
)

// EnvRotate allows the rotation profile against real ARM. Regenerating a key invalidates it at once, so
// whatever uses the workspace's keys stops working until it is given the new ones: never by default.
const EnvRotate = "LISTKEYS_ROTATE"

// RotationCassette is the cassette of the rotation profile, one file holding every step in order.
const RotationCassette = "rotation"

// RotationStep is one call of the rotation profile: a listKeys (Regenerate nil) or a regenerateKey of the
// keys named.
type RotationStep struct {
	Regenerate []string
	*arm.Exchange
	// Request is the contract's verdict on the request, Response on the answer.
	Request, Response contract.Report
}

// RotationProfile is the sequence: list, regenerate Primary, list, regenerate Secondary, list, regenerate
// both, list. Each list comes after a regeneration, so the profile needs no knowledge of the keys before it.
var RotationProfile = [][]string{
	nil, {catalogue.PrimaryKeyType}, nil, {catalogue.SecondaryKeyType}, nil,
	{catalogue.PrimaryKeyType, catalogue.SecondaryKeyType}, nil,
}

// RotationSkipReason says why the profile cannot run here, or "".
func (r *Runner) RotationSkipReason() string {
	switch {
	case r.Config.Mode.Network() && !r.Emulator && !r.Rotate:
		return fmt.Sprintf("the rotation profile regenerates the workspace's keys, which invalidates the keys its users hold: against real ARM it runs only with %s=1", EnvRotate)
	case !r.Config.Mode.Network():
		file := filepath.Join(r.Config.Cassettes, RotationCassette+".yaml")
		if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
			return fmt.Sprintf("no cassette %s: the rotation profile was not recorded for this api-version (record it with %s=1 against real ARM, or through the emulator)", file, EnvRotate)
		}
	}
	return ""
}

// rotationTarget is the workspace the profile rotates: the configured one against real ARM (or in a replay
// told of another workspace), else the emulator's own rotation workspace, so that the keys of the
// documented workspace, which the other scenarios record, never change.
func (r *Runner) rotationTarget() Target {
	t := r.Target
	real := r.Config.Mode.Network() && !r.Emulator
	if !real && (r.Config.Mode.Network() || t.Workspace == catalogue.DefaultWorkspace) {
		t.Workspace = catalogue.RotationWorkspace
	}
	return t
}

// RunRotation performs the rotation profile through one recorder (RotationCassette) and one client, and
// judges every step. It stops at the first call that gets no answer at all.
func (r *Runner) RunRotation(ctx context.Context) ([]RotationStep, error) {
	rec, err := recording.Open(recording.Options{
		Mode: r.Config.Mode, Cassette: filepath.Join(r.Config.Cassettes, RotationCassette),
		RealTransport: r.transport, Contract: r.contract,
	})
	if err != nil {
		return nil, err
	}
	steps, runErr := r.rotate(ctx, rec)
	if err := errors.Join(runErr, rec.Stop()); err != nil {
		return nil, fmt.Errorf("rotation profile: %w", err)
	}
	return steps, nil
}

func (r *Runner) rotate(ctx context.Context, rec *recording.Recorder) ([]RotationStep, error) {
	regenerate, ok := r.contract.ForOperation(arm.RegenerateKeysOperation)
	if !ok {
		return nil, fmt.Errorf("the contract of %s has no %s", r.Config.APIVersion, arm.RegenerateKeysOperation)
	}
	target := r.rotationTarget()
	var steps []RotationStep
	for i, keys := range RotationProfile {
		opts := append([]arm.Option{arm.WithContract(r.contract)}, r.fixedRequestID(fmt.Sprintf("%s/%d", RotationCassette, i))...)
		client, err := arm.NewClient(r.Config, r.cred, rec.Client(), opts...)
		if err != nil {
			return nil, err
		}
		step := RotationStep{Regenerate: keys}
		if keys == nil {
			step.Exchange, err = client.ListKeys(ctx, target)
		} else {
			step.Exchange, err = client.RegenerateKeys(ctx, target, keys...)
		}
		if err != nil {
			return steps, err
		}
		op := r.contract
		if keys != nil {
			op = regenerate
			step.Response, err = regenerate.ValidateRegenerate(step.Exchange.Exchange)
		} else {
			step.Response, err = r.contract.Validate("", step.Exchange.Exchange)
		}
		if err != nil {
			step.Response = contract.Report{Violations: []contract.Violation{contract.NewViolation("response.json", "", err.Error())}}
		}
		if step.Exchange.Request != nil {
			step.Request = op.ValidateRequest(*step.Exchange.Request)
		}
		steps = append(steps, step)
	}
	return steps, nil
}

// keyState is what the rotation checks compare of one key in a listKeys body.
type keyState struct {
	key, createdAt, connectionString string
}

func keysOf(body []byte) (map[string]keyState, error) {
	var doc struct {
		PrimaryKey, SecondaryKey struct {
			CreatedAt string `json:"createdAt"`
			Key       string `json:"key"`
		}
		PrimaryConnectionString, SecondaryConnectionString string
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("the listKeys answer is not a ListKeysResult: %v", err)
	}
	return map[string]keyState{
		catalogue.PrimaryKeyType:   {doc.PrimaryKey.Key, doc.PrimaryKey.CreatedAt, doc.PrimaryConnectionString},
		catalogue.SecondaryKeyType: {doc.SecondaryKey.Key, doc.SecondaryKey.CreatedAt, doc.SecondaryConnectionString},
	}, nil
}

// CompareRotation judges a listKeys answer after a regeneration against the one before it: each regenerated
// key is new with a later createdAt and its connection string changed with it; each other key, its
// createdAt and its connection string are as they were. Problems and notes name keys, never their values.
// Keys a cassette holds redacted cannot be compared: that is a note, and createdAt is still compared.
func CompareRotation(before, after []byte, regenerated []string) (problems, notes []string) {
	b, err := keysOf(before)
	if err != nil {
		return []string{err.Error()}, nil
	}
	a, err := keysOf(after)
	if err != nil {
		return []string{err.Error()}, nil
	}
	for _, name := range []string{catalogue.PrimaryKeyType, catalogue.SecondaryKeyType} {
		was, now := b[name], a[name]
		redacted := contract.IsPlaceholder(was.key) || contract.IsPlaceholder(now.key)
		if !slices.Contains(regenerated, name) {
			if was.createdAt != now.createdAt {
				problems = append(problems, fmt.Sprintf("the %s key was not regenerated, but its createdAt changed from %s to %s", name, was.createdAt, now.createdAt))
			}
			if was.key != now.key {
				problems = append(problems, fmt.Sprintf("the %s key was not regenerated, but it changed", name))
			}
			if was.connectionString != now.connectionString {
				problems = append(problems, fmt.Sprintf("the %s key was not regenerated, but its connection string changed", name))
			}
			continue
		}
		switch {
		case redacted:
			notes = append(notes, fmt.Sprintf("the %s keys are redacted in the cassette: that the key changed is not checked (its createdAt is)", name))
		case was.key == now.key:
			problems = append(problems, fmt.Sprintf("the %s key was regenerated, but listKeys still shows the old one", name))
		case was.connectionString == now.connectionString:
			problems = append(problems, fmt.Sprintf("the %s key was regenerated, but its connection string did not change", name))
		}
		t0, err0 := contract.ParseDateTime(was.createdAt)
		t1, err1 := contract.ParseDateTime(now.createdAt)
		switch {
		case err0 != nil || err1 != nil:
			problems = append(problems, fmt.Sprintf("the %s key's createdAt does not parse (%q, then %q)", name, was.createdAt, now.createdAt))
		case !t1.After(t0):
			problems = append(problems, fmt.Sprintf("the %s key was regenerated, but its createdAt %s is not later than %s", name, now.createdAt, was.createdAt))
		}
	}
	return problems, notes
}
