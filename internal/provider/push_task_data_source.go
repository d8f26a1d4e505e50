package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var _ datasource.DataSourceWithConfigure = &pushTasksDataSource{}

// NewPushTasksDataSource returns the workplus_push_tasks data source.
func NewPushTasksDataSource() datasource.DataSource {
	return &pushTasksDataSource{typeSuffix: "_push_tasks"}
}

// NewPushTaskDataSource returns workplus_push_task, the name
// workplus_push_tasks had in 0.1.0, kept so configurations keep working.
func NewPushTaskDataSource() datasource.DataSource {
	return &pushTasksDataSource{typeSuffix: "_push_task",
		deprecation: "workplus_push_task reads any number of tasks and is now called workplus_push_tasks, with the same arguments and attributes. " +
			"Rename the data source in your configuration; this name will be removed in a future major version."}
}

// pushTasksDataSource reads the delivery statistics of push tasks.
type pushTasksDataSource struct {
	provider    *providerData
	typeSuffix  string
	deprecation string
}

// pushStatsModel is a push task's delivery statistics. workplus_push_tasks and
// workplus_push_notification embed it, so the schema and the converter below
// serve both.
type pushStatsModel struct {
	Channels      types.List  `tfsdk:"channels"`
	TotalTarget   types.Int64 `tfsdk:"total_target"`
	TotalSent     types.Int64 `tfsdk:"total_sent"`
	TotalReceived types.Int64 `tfsdk:"total_received"`
}

type channelStatsModel struct {
	Channel  types.String `tfsdk:"channel"`
	Target   types.Int64  `tfsdk:"target"`
	Sent     types.Int64  `tfsdk:"sent"`
	Received types.Int64  `tfsdk:"received"`
}

var channelStatsObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"channel":  types.StringType,
	"target":   types.Int64Type,
	"sent":     types.Int64Type,
	"received": types.Int64Type,
}}

// pushStatsAttrTypes are the statistics attributes' types, for object types
// that embed pushStatsModel.
var pushStatsAttrTypes = map[string]attr.Type{
	"channels":       types.ListType{ElemType: channelStatsObjectType},
	"total_target":   types.Int64Type,
	"total_sent":     types.Int64Type,
	"total_received": types.Int64Type,
}

// pushStatsDescriptions documents the statistics once. The two schema
// builders below differ only in the schema package they build for.
var pushStatsDescriptions = map[string]string{
	"channels":       "Counts per delivery channel, in the order " + quotedList(workplus.PushChannels) + ". `mxpush` is WorkPlus's own channel to devices that are online; the others are the vendors' push services.",
	"channel":        "The delivery channel.",
	"target":         "Devices the channel was to deliver to.",
	"sent":           "Notifications the channel sent. Lower than `target` when the app has no credential for the vendor.",
	"received":       "Notifications the devices acknowledged.",
	"total_target":   "`target` summed over the channels.",
	"total_sent":     "`sent` summed over the channels.",
	"total_received": "`received` summed over the channels.",
}

var channelCounters = []string{"target", "sent", "received"}

// computedKinds builds the computed attributes of one schema package (data
// source or resource), so the statistics are described once for both.
type computedKinds[A any] struct {
	str, int64 func(description string) A
	list       func(description string, nested map[string]A) A
}

// pushStatsAttributes are the statistics of a push task: the channels and
// their counters, and each counter's total.
func pushStatsAttributes[A any](k computedKinds[A]) map[string]A {
	d := pushStatsDescriptions
	channel := map[string]A{"channel": k.str(d["channel"])}
	attributes := map[string]A{"channels": k.list(d["channels"], channel)}
	for _, counter := range channelCounters {
		channel[counter] = k.int64(d[counter])
		attributes["total_"+counter] = k.int64(d["total_"+counter])
	}
	return attributes
}

func pushStatsDataSourceAttributes() map[string]dsschema.Attribute {
	return pushStatsAttributes(computedKinds[dsschema.Attribute]{
		str: func(d string) dsschema.Attribute {
			return dsschema.StringAttribute{MarkdownDescription: d, Computed: true}
		},
		int64: func(d string) dsschema.Attribute {
			return dsschema.Int64Attribute{MarkdownDescription: d, Computed: true}
		},
		list: func(d string, nested map[string]dsschema.Attribute) dsschema.Attribute {
			return dsschema.ListNestedAttribute{MarkdownDescription: d, Computed: true, NestedObject: dsschema.NestedAttributeObject{Attributes: nested}}
		},
	})
}

// pushStatsResourceAttributes are the push resource's statistics; the resource
// keeps them through in-place updates (keepSendResults), and Read refreshes
// them before each plan.
func pushStatsResourceAttributes() map[string]rschema.Attribute {
	return pushStatsAttributes(computedKinds[rschema.Attribute]{
		str: func(d string) rschema.Attribute {
			return rschema.StringAttribute{MarkdownDescription: d, Computed: true}
		},
		int64: func(d string) rschema.Attribute {
			return rschema.Int64Attribute{MarkdownDescription: d, Computed: true}
		},
		list: func(d string, nested map[string]rschema.Attribute) rschema.Attribute {
			return rschema.ListNestedAttribute{MarkdownDescription: d, Computed: true, NestedObject: rschema.NestedAttributeObject{Attributes: nested}}
		},
	})
}

// fromTaskDetail sets the statistics from the server's task detail.
func (m *pushStatsModel) fromTaskDetail(ctx context.Context, detail workplus.TaskDetail) diag.Diagnostics {
	var target, sent, received int64
	channels := make([]channelStatsModel, 0, len(workplus.PushChannels))
	for _, c := range detail.Channels() {
		target, sent, received = target+c.Target, sent+c.Sent, received+c.Received
		channels = append(channels, channelStatsModel{
			Channel:  types.StringValue(c.Channel),
			Target:   types.Int64Value(c.Target),
			Sent:     types.Int64Value(c.Sent),
			Received: types.Int64Value(c.Received),
		})
	}
	m.TotalTarget, m.TotalSent, m.TotalReceived = types.Int64Value(target), types.Int64Value(sent), types.Int64Value(received)
	var diags diag.Diagnostics
	m.Channels, diags = types.ListValueFrom(ctx, channelStatsObjectType, channels)
	return diags
}

type pushTaskDataSourceModel struct {
	AppID   types.String `tfsdk:"app_id"`
	TaskIDs types.List   `tfsdk:"task_ids"`
	Tasks   types.List   `tfsdk:"tasks"`
}

type pushTaskModel struct {
	TaskID types.Int64 `tfsdk:"task_id"`
	pushStatsModel
}

var pushTaskObjectType = func() types.ObjectType {
	attrTypes := map[string]attr.Type{"task_id": types.Int64Type}
	for name, t := range pushStatsAttrTypes {
		attrTypes[name] = t
	}
	return types.ObjectType{AttrTypes: attrTypes}
}()

func (d *pushTasksDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.typeSuffix
}

func (d *pushTasksDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	task := pushStatsDataSourceAttributes()
	task["task_id"] = dsschema.Int64Attribute{MarkdownDescription: "The push task's id.", Computed: true}
	resp.Schema = dsschema.Schema{
		MarkdownDescription: "Reads the delivery statistics of one or more push tasks by id, for example of pushes sent outside Terraform, " +
			"in one request. `workplus_push_notification` keeps the same statistics for the pushes it sends.",
		DeprecationMessage: d.deprecation,
		Attributes: map[string]dsschema.Attribute{
			"app_id": dsschema.StringAttribute{
				MarkdownDescription: "The app that sent the pushes. Defaults to the provider's `app_id`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"task_ids": dsschema.ListAttribute{
				MarkdownDescription: "The ids of the push tasks to read. Every one must exist.",
				ElementType:         types.Int64Type,
				Required:            true,
				Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
			},
			"tasks": dsschema.ListNestedAttribute{
				MarkdownDescription: "The statistics of each task, in the order of `task_ids`.",
				Computed:            true,
				NestedObject:        dsschema.NestedAttributeObject{Attributes: task},
			},
		},
	}
}

func (d *pushTasksDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

func (d *pushTasksDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config pushTaskDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	appID, diags := d.provider.resolveAppID(config.AppID)
	resp.Diagnostics.Append(diags...)
	var taskIDs []int64
	resp.Diagnostics.Append(config.TaskIDs.ElementsAs(ctx, &taskIDs, false)...)
	if resp.Diagnostics.HasError() {
		return
	}

	details, err := d.provider.client.TaskDetails(ctx, appID, taskIDs)
	if err != nil {
		resp.Diagnostics.AddError("Could not read WorkPlus push tasks", err.Error())
		return
	}
	byID := make(map[int64]workplus.TaskDetail, len(details))
	for _, detail := range details {
		byID[detail.TaskID] = detail
	}
	tasks := make([]pushTaskModel, 0, len(taskIDs))
	for i, id := range taskIDs {
		detail, ok := byID[id]
		if !ok {
			resp.Diagnostics.AddAttributeError(path.Root("task_ids").AtListIndex(i), "Push task not found",
				fmt.Sprintf("task_ids[%d]: app %s has no push task %d.", i, appID, id))
			continue
		}
		task := pushTaskModel{TaskID: types.Int64Value(id)}
		resp.Diagnostics.Append(task.fromTaskDetail(ctx, detail)...)
		tasks = append(tasks, task)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	config.AppID = types.StringValue(appID)
	config.Tasks, diags = types.ListValueFrom(ctx, pushTaskObjectType, tasks)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
