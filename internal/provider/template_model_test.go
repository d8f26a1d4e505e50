package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// TestTemplateConverters_agree holds the conversions of a template's rows
// together: what fromAPI stores, what the list resource leaves for
// generated configuration (absent values null) and what Read builds
// directly all convert back (rowsToContents, as ModifyPlan and apply do) to
// the server's contents with every cell's align as cellAlign reads it.
func TestTemplateConverters_agree(t *testing.T) {
	ctx := context.Background()
	stateTypes, err := templateStateTypes()
	if err != nil {
		t.Fatal(err)
	}
	template := workplus.Template{ID: "t-1", Title: "Deploy", Contents: [][]workplus.TemplateCell{
		{{Content: "Hi {{name.DATA}}", Align: workplus.AlignCenter}, {Content: "no align stored"}},
		{{Content: "", Align: workplus.AlignRight}},
		{{Content: "explicit left", Align: workplus.AlignLeft}},
	}}
	want := [][]workplus.TemplateCell{
		{{Content: "Hi {{name.DATA}}", Align: workplus.AlignCenter}, {Content: "no align stored", Align: workplus.AlignLeft}},
		{{Content: "", Align: workplus.AlignRight}},
		{{Content: "explicit left", Align: workplus.AlignLeft}},
	}

	var stored templateModel
	if diags := stored.fromAPI(ctx, &template); diags.HasError() {
		t.Fatal(diags)
	}
	generated := stored
	if diags := leaveAbsentValuesNull(&generated, &template); diags.HasError() {
		t.Fatal(diags)
	}
	if cell := generated.Rows.Elements()[0]; cell.Equal(stored.Rows.Elements()[0]) {
		t.Fatal("leaveAbsentValuesNull kept the filled-in align of a cell stored without one")
	}
	for name, rows := range map[string]templateModel{"fromAPI": stored, "leaveAbsentValuesNull": generated} {
		got, diags := rowsToContents(ctx, rows.Rows)
		if diags.HasError() {
			t.Fatal(diags)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s's rows convert back to %+v, want %+v", name, got, want)
		}
	}
	got, err := contentsFromTerraform(stateTypes.rowsValue(&template))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Read's rows convert back to %+v, want %+v", got, want)
	}
}
